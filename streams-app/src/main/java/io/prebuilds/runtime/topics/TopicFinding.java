package io.prebuilds.runtime.topics;

import org.apache.kafka.common.config.TopicConfig;

/**
 * One way the cluster's topics differ from the catalogue. Blocking findings keep the service from
 * running (a missing topic, a broken co-partition group, a wrong cleanup policy); the rest are
 * drift an operator should look at but the service tolerates (e.g. a longer retention).
 */
public sealed interface TopicFinding {

  String topic();

  /** Whether the service refuses to process with this finding. */
  boolean blocking();

  /** One line for a person: what differs and what was expected. */
  String describe();

  /** The topic does not exist. */
  record Missing(String topic) implements TopicFinding {
    @Override
    public boolean blocking() {
      return true;
    }

    @Override
    public String describe() {
      return topic + " does not exist";
    }
  }

  /** A preset-keyed topic has a partition count other than the co-partition group's. */
  record PartitionCount(String topic, int actual, int expected) implements TopicFinding {
    @Override
    public boolean blocking() {
      return true;
    }

    @Override
    public String describe() {
      return topic
          + " has "
          + actual
          + " partitions, expected "
          + expected
          + " (every preset-keyed topic must have prebuilds.topics.partitions; partitions are"
          + " never changed automatically)";
    }
  }

  /**
   * A topic-level config differs. A different {@code cleanup.policy} blocks: a compacted input that
   * is deleted by time loses templates, a compacted event topic loses events.
   */
  record Config(String topic, String key, String actual, String expected) implements TopicFinding {
    @Override
    public boolean blocking() {
      return key.equals(TopicConfig.CLEANUP_POLICY_CONFIG);
    }

    @Override
    public String describe() {
      return topic + " has " + key + "=" + actual + ", expected " + expected;
    }
  }
}
