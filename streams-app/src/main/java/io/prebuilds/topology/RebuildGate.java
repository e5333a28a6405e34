package io.prebuilds.topology;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Tells the topology which input is history during a rebuild, and when a task has caught up with
 * it.
 *
 * <p>A rebuild is a start on input topics that already hold events, with empty state and no
 * committed offsets (an application reset, a new {@code application.id}, or a first start on topics
 * that producers filled first). The input is then replayed from the beginning. Every record below
 * the end offset its partition had at start-up ({@link #until}) was already answered by an earlier
 * run, or happened before this app existed: it is <em>historic</em> and only rebuilds state. No
 * command, notification, claim result or preset-state record is sent for it, so workers, users and
 * the read model see nothing twice.
 *
 * <p>A task is caught up when its committed offsets reached the captured end offsets on every input
 * partition of the task. Committed offsets, not the last record the processor saw, because under
 * exactly-once the end offset lies past a transaction marker, and records can stop before the
 * processor (dead-lettered, null values); Kafka Streams commits the consumer's position, which
 * steps over both. The runtime feeds the client's task metadata to {@link #observe} every second;
 * the processor asks {@link #caughtUp} on its ticks. Until a task has caught up its ticks do
 * nothing.
 *
 * <p>Thread-safe: stream threads read it while the runtime's poller writes.
 */
public final class RebuildGate {

  private static final RebuildGate NONE = new RebuildGate(Map.of());

  private final Map<TopicPartition, Long> endOffsets;
  private final Set<TaskId> caughtUp = ConcurrentHashMap.newKeySet();

  private RebuildGate(Map<TopicPartition, Long> endOffsets) {
    this.endOffsets = Map.copyOf(endOffsets);
  }

  /** No rebuild: nothing is historic and every task is caught up (tests, {@code simulate}). */
  public static RebuildGate none() {
    return NONE;
  }

  /**
   * A rebuild of the input as it was at start-up.
   *
   * @param endOffsets every input partition that held records, with its read-committed end offset
   */
  public static RebuildGate until(Map<TopicPartition, Long> endOffsets) {
    return endOffsets.isEmpty() ? NONE : new RebuildGate(endOffsets);
  }

  /** Whether this start is a rebuild at all. */
  public boolean active() {
    return !endOffsets.isEmpty();
  }

  /** The input partitions with their end offsets at start-up. */
  public Map<TopicPartition, Long> endOffsets() {
    return endOffsets;
  }

  /** Whether the record being processed was already in its topic at start-up. */
  boolean historic(Optional<RecordMetadata> record) {
    if (endOffsets.isEmpty() || record.isEmpty()) {
      return false;
    }
    RecordMetadata metadata = record.get();
    Long end = endOffsets.get(new TopicPartition(metadata.topic(), metadata.partition()));
    return end != null && metadata.offset() < end;
  }

  /** Whether the task has consumed its share of the input as it was at start-up. */
  boolean caughtUp(TaskId task) {
    return endOffsets.isEmpty() || caughtUp.contains(task);
  }

  /**
   * Marks the local active tasks whose committed offsets reached the end offsets as caught up (for
   * good: a task never falls back into history).
   *
   * @return how many input partitions of local active tasks are still behind
   */
  public int observe(Collection<ThreadMetadata> threads) {
    int behind = 0;
    for (ThreadMetadata thread : threads) {
      for (TaskMetadata task : thread.activeTasks()) {
        int taskBehind = behind(task);
        if (taskBehind == 0) {
          caughtUp.add(task.taskId());
        }
        behind += taskBehind;
      }
    }
    return behind;
  }

  private int behind(TaskMetadata task) {
    if (caughtUp.contains(task.taskId())) {
      return 0;
    }
    int behind = 0;
    for (TopicPartition partition : task.topicPartitions()) {
      Long end = endOffsets.get(partition);
      Long committed = task.committedOffsets().get(partition);
      if (end != null && (committed == null || committed < end)) {
        behind++;
      }
    }
    return behind;
  }
}
