package io.prebuilds.topology;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;

/**
 * The task and thread metadata a running Kafka Streams client reports, built by hand, so the
 * rebuild gate's catch-up rule can be tested without a client: only the committed offsets matter.
 */
final class StreamsMetadata {

  private StreamsMetadata() {}

  static TaskMetadata task(
      TaskId taskId, Set<TopicPartition> partitions, Map<TopicPartition, Long> committed) {
    return new Task(taskId, partitions, committed);
  }

  static ThreadMetadata thread(Set<TaskMetadata> activeTasks) {
    return new Thread(activeTasks);
  }

  private record Task(
      TaskId taskId,
      Set<TopicPartition> topicPartitions,
      Map<TopicPartition, Long> committedOffsets)
      implements TaskMetadata {
    @Override
    public Map<TopicPartition, Long> endOffsets() {
      return Map.of();
    }

    @Override
    public Optional<Long> timeCurrentIdlingStarted() {
      return Optional.empty();
    }
  }

  private record Thread(Set<TaskMetadata> activeTasks) implements ThreadMetadata {
    @Override
    public String threadState() {
      return "RUNNING";
    }

    @Override
    public String threadName() {
      return "stream-thread-1";
    }

    @Override
    public Set<TaskMetadata> standbyTasks() {
      return Set.of();
    }

    @Override
    public String consumerClientId() {
      return "consumer";
    }

    @Override
    public String restoreConsumerClientId() {
      return "restore-consumer";
    }

    @Override
    public Set<String> producerClientIds() {
      return Set.of("producer");
    }

    @Override
    public String adminClientId() {
      return "admin";
    }
  }
}
