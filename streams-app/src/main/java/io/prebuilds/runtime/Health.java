package io.prebuilds.runtime;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Liveness and readiness of the Kafka Streams client, fed by its state listener, its restore
 * listener and the stream-thread failure policy.
 *
 * <ul>
 *   <li>Live unless the client is in ERROR, PENDING_ERROR or NOT_RUNNING, or the failure policy
 *       gave up after repeated stream-thread failures: then a restart is the cure.
 *   <li>Ready only when RUNNING and no store is restoring, so requests reach an instance whose
 *       state is caught up, not merely started.
 * </ul>
 *
 * Before a client is attached the service is live but not ready. Other parts can hold readiness
 * back with a reason (e.g. the topics are not co-partitioned) without failing liveness, since a
 * restart would not help.
 */
public final class Health {
  private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>();
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final Set<String> restoring = ConcurrentHashMap.newKeySet();
  private final AtomicLong restoredRecords = new AtomicLong();
  private final Map<String, String> unmetConditions = new ConcurrentSkipListMap<>();

  /** An answer for a probe: whether it passes and a short reason a person can act on. */
  public record Status(boolean ok, String detail) {}

  public void onStateChange(KafkaStreams.State newState) {
    state.set(newState);
  }

  /**
   * The client cannot recover by itself (e.g. too many thread failures); liveness fails for good.
   */
  public void markFailed(String reason) {
    failure.compareAndSet(null, reason);
  }

  /**
   * Holds readiness back for a reason of the service's own, e.g. {@code "topics"} with {@code
   * "prebuilds.builds.v1 has 4 partitions, expected 8"}; {@link #conditionMet} lifts it.
   */
  public void conditionUnmet(String condition, String reason) {
    unmetConditions.put(condition, reason);
  }

  public void conditionMet(String condition) {
    unmetConditions.remove(condition);
  }

  public StateRestoreListener restoreListener() {
    return new StateRestoreListener() {
      @Override
      public void onRestoreStart(
          TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
        restoring.add(storeName + "@" + partition);
      }

      @Override
      public void onBatchRestored(
          TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
        restoredRecords.addAndGet(numRestored);
      }

      @Override
      public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        restoring.remove(storeName + "@" + partition);
      }

      @Override
      public void onRestoreSuspended(
          TopicPartition partition, String storeName, long totalRestored) {
        restoring.remove(storeName + "@" + partition);
      }
    };
  }

  public Status liveness() {
    var reason = failure.get();
    if (reason != null) {
      return new Status(false, reason);
    }
    var current = state.get();
    if (current == null) {
      return new Status(true, "Kafka Streams not started");
    }
    return switch (current) {
      case ERROR, PENDING_ERROR, NOT_RUNNING -> new Status(false, "Kafka Streams is " + current);
      case CREATED, REBALANCING, RUNNING, PENDING_SHUTDOWN ->
          new Status(true, "Kafka Streams is " + current);
    };
  }

  public Status readiness() {
    if (!unmetConditions.isEmpty()) {
      var first = unmetConditions.entrySet().iterator().next();
      return new Status(false, first.getKey() + ": " + first.getValue());
    }
    var live = liveness();
    var current = state.get();
    if (!live.ok() || current == null) {
      return new Status(false, live.detail());
    }
    if (current != KafkaStreams.State.RUNNING) {
      return new Status(false, "Kafka Streams is " + current);
    }
    var stores = restoring.size();
    if (stores > 0) {
      return new Status(false, "restoring " + stores + " store partition(s)");
    }
    return new Status(
        true,
        "Kafka Streams is RUNNING and restored (" + restoredRecords.get() + " changelog records)");
  }

  /**
   * Changelog records restored into this instance's stores since it started: what a start or a
   * rebalance cost. A clean restart on a persistent state directory restores only what it missed.
   */
  public long restoredRecords() {
    return restoredRecords.get();
  }
}
