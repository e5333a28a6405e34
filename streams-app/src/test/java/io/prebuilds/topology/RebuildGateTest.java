package io.prebuilds.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.junit.jupiter.api.Test;

class RebuildGateTest {

  private static final TopicPartition BUILDS_0 = new TopicPartition("prebuilds.builds.v1", 0);
  private static final TopicPartition CLAIMS_0 = new TopicPartition("prebuilds.claims.v1", 0);
  private static final TopicPartition REPARTITION_0 =
      new TopicPartition("app-preset-definitions-repartition", 0);
  private static final TaskId TASK = new TaskId(1, 0);

  private final RebuildGate gate = RebuildGate.until(Map.of(BUILDS_0, 10L, CLAIMS_0, 3L));

  @Test
  void recordsBelowTheEndOffsetAtStartUpAreHistoric() {
    assertThat(gate.historic(record(BUILDS_0, 0))).isTrue();
    assertThat(gate.historic(record(BUILDS_0, 9))).isTrue();
    assertThat(gate.historic(record(BUILDS_0, 10))).isFalse();
    assertThat(gate.historic(record(new TopicPartition("prebuilds.builds.v1", 1), 0)))
        .as("a partition that was empty at start-up has no history")
        .isFalse();
    assertThat(gate.historic(Optional.empty())).isFalse();
  }

  @Test
  void withoutARebuildNothingIsHistoricAndEveryTaskIsCaughtUp() {
    assertThat(RebuildGate.until(Map.of())).isSameAs(RebuildGate.none());
    assertThat(RebuildGate.none().active()).isFalse();
    assertThat(RebuildGate.none().historic(record(BUILDS_0, 0))).isFalse();
    assertThat(RebuildGate.none().caughtUp(TASK)).isTrue();
  }

  @Test
  void aTaskCatchesUpWhenItsCommittedOffsetsReachTheEndOffsetsOnEveryInput() {
    assertThat(gate.caughtUp(TASK)).isFalse();

    int behind =
        gate.observe(List.of(thread(task(Map.of(BUILDS_0, 10L, CLAIMS_0, 2L, REPARTITION_0, 0L)))));

    assertThat(behind).isEqualTo(1);
    assertThat(gate.caughtUp(TASK)).isFalse();

    behind = gate.observe(List.of(thread(task(Map.of(BUILDS_0, 11L, CLAIMS_0, 4L)))));

    assertThat(behind).as("past a transaction marker counts").isZero();
    assertThat(gate.caughtUp(TASK)).isTrue();
    assertThat(gate.observe(List.of(thread(task(Map.of()))))).as("caught up for good").isZero();
    assertThat(gate.caughtUp(TASK)).isTrue();
  }

  @Test
  void aTaskThatCommittedNothingYetIsBehindOnEveryInputWithHistory() {
    assertThat(gate.observe(List.of(thread(task(Map.of()))))).isEqualTo(2);
    assertThat(gate.caughtUp(TASK)).isFalse();
  }

  private static Optional<RecordMetadata> record(TopicPartition partition, long offset) {
    return Optional.of(new Metadata(partition.topic(), partition.partition(), offset));
  }

  private static TaskMetadata task(Map<TopicPartition, Long> committed) {
    return StreamsMetadata.task(TASK, Set.of(BUILDS_0, CLAIMS_0, REPARTITION_0), committed);
  }

  private static ThreadMetadata thread(TaskMetadata task) {
    return StreamsMetadata.thread(Set.of(task));
  }

  private record Metadata(String topic, int partition, long offset) implements RecordMetadata {}
}
