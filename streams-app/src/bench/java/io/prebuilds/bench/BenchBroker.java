package io.prebuilds.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One in-process KRaft broker (combined broker and controller) for the end-to-end benchmarks, with
 * the single-node settings consumer groups and transactions need. A copy of the tests' {@code
 * KafkaBroker} without JUnit: bench sources do not see test classes.
 */
public final class BenchBroker implements AutoCloseable {

  private final KafkaClusterTestKit cluster;

  private BenchBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** A started broker that serves clients. */
  public static BenchBroker start() {
    try {
      var builder =
          new KafkaClusterTestKit.Builder(
              new TestKitNodes.Builder()
                  .setCombined(true)
                  .setNumBrokerNodes(1)
                  .setNumControllerNodes(1)
                  .build());
      singleNodeSettings().forEach(builder::setConfigProp);
      KafkaClusterTestKit cluster = builder.build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new BenchBroker(cluster);
    } catch (Exception e) {
      throw new IllegalStateException("could not start the in-process Kafka broker", e);
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** An admin client; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrapServers()));
  }

  /**
   * Creates the topics and returns once their metadata is visible (KRaft propagates it
   * asynchronously).
   */
  public void createTopics(List<NewTopic> topics) {
    try (Admin admin = admin()) {
      admin.createTopics(topics).all().get();
      Set<String> names = Set.copyOf(topics.stream().map(NewTopic::name).toList());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!admin.listTopics().names().get().containsAll(names)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topics not visible after 30 s: " + names);
        }
        Thread.onSpinWait();
      }
      awaitLeaders(admin, topics);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not create topics", e.getCause());
    }
  }

  /**
   * Waits until every partition answers a list-offsets request, which goes to its leader: a
   * producer that writes to a partition before its leader has the log gets {@code
   * NOT_LEADER_OR_FOLLOWER} and, with transactions, can fail the transaction.
   */
  private static void awaitLeaders(Admin admin, List<NewTopic> topics) throws InterruptedException {
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    for (NewTopic topic : topics) {
      for (int p = 0; p < topic.numPartitions(); p++) {
        partitions.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        admin.listOffsets(partitions).all().get();
        return;
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("partitions have no leader after 30 s", e.getCause());
        }
      }
    }
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }

  private static Map<String, String> singleNodeSettings() {
    var settings = new HashMap<String, String>();
    settings.put("auto.create.topics.enable", "false");
    settings.put("offsets.topic.replication.factor", "1");
    settings.put("offsets.topic.num.partitions", "1");
    settings.put("transaction.state.log.replication.factor", "1");
    settings.put("transaction.state.log.min.isr", "1");
    settings.put("transaction.state.log.num.partitions", "1");
    settings.put("share.coordinator.state.topic.replication.factor", "1");
    settings.put("share.coordinator.state.topic.min.isr", "1");
    settings.put("group.initial.rebalance.delay.ms", "0");
    return settings;
  }
}
