package io.prebuilds.schemas;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import io.prebuilds.schemas.event.EventType;

/**
 * One topic of the contract: its name, what it is keyed by, what it carries and how it is
 * configured. Partition counts are not part of the spec: they come from configuration, and every
 * co-partitioned topic must have the same count.
 *
 * @param valueClass the sealed family of the values ({@code byte[]} for the DLQ, which keeps
 *     original bytes)
 * @param retention how long records are kept; empty for compacted topics (kept until replaced)
 * @param maxMessageBytes the broker's per-record limit ({@code max.message.bytes})
 * @param coPartitioned keyed by preset id (or {@code org:<id>}), so it must share the partition
 *     count of the co-partition group
 */
public record TopicSpec<T>(
    String name,
    KeyKind key,
    Class<T> valueClass,
    Direction direction,
    CleanupPolicy cleanupPolicy,
    Optional<Duration> retention,
    int maxMessageBytes,
    boolean coPartitioned) {

  /** What a topic's record key is. */
  public enum KeyKind {
    TEMPLATE_ID,
    PRESET_ID,
    /** A preset id, or {@code org:<organizationId>} for organization-wide commands and results. */
    PRESET_ID_OR_ORGANIZATION,
    CLAIM_ID,
    NOTIFICATION_ID,
    /** The constant {@code global}. */
    GLOBAL,
    /** The key of the rejected record, unchanged. */
    ORIGINAL_KEY
  }

  /** Whether the service reads or writes the topic. */
  public enum Direction {
    INPUT,
    OUTPUT
  }

  /** Kafka's {@code cleanup.policy}. */
  public enum CleanupPolicy {
    DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
    COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT);

    private final String config;

    CleanupPolicy(String config) {
      this.config = config;
    }

    public String config() {
      return config;
    }
  }

  public TopicSpec {
    if (cleanupPolicy == CleanupPolicy.COMPACT && retention.isPresent()) {
      throw new IllegalArgumentException(name + ": a compacted topic keeps records until replaced");
    }
    if (cleanupPolicy == CleanupPolicy.DELETE && retention.isEmpty()) {
      throw new IllegalArgumentException(name + ": a delete-policy topic needs a retention");
    }
  }

  /** The event types a value on this topic may have (none for the DLQ). */
  public List<EventType> valueTypes() {
    return Arrays.stream(EventType.values())
        .filter(type -> valueClass.isAssignableFrom(type.recordClass()))
        .toList();
  }

  /** Whether values of this type belong on this topic. */
  public boolean carries(EventType type) {
    return valueClass.isAssignableFrom(type.recordClass());
  }

  /** The topic-level configs to create the topic with. */
  public Map<String, String> configs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.config());
    retention.ifPresent(
        duration ->
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(duration.toMillis())));
    configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
    return Map.copyOf(configs);
  }

  /**
   * The topic as the admin client creates it.
   *
   * @param partitions for a co-partitioned topic, the configured co-partition count
   */
  public NewTopic newTopic(int partitions, short replicationFactor) {
    if (partitions < 1) {
      throw new IllegalArgumentException(name + ": partitions must be >= 1, got " + partitions);
    }
    return new NewTopic(name, partitions, replicationFactor).configs(configs());
  }
}
