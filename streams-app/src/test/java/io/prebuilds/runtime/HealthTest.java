package io.prebuilds.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HealthTest {
  private final Health health = new Health();

  @Test
  void liveButNotReadyBeforeKafkaStreamsStarts() {
    assertThat(health.liveness()).isEqualTo(new Health.Status(true, "Kafka Streams not started"));
    assertThat(health.readiness()).isEqualTo(new Health.Status(false, "Kafka Streams not started"));
  }

  @Test
  void readyOnlyWhenRunningAndNothingRestores() {
    var partition = new TopicPartition("prebuilds-streams-presets-changelog", 3);
    var restore = health.restoreListener();
    health.onStateChange(State.REBALANCING);
    restore.onRestoreStart(partition, "presets", 0, 100);
    assertThat(health.readiness().ok()).isFalse();

    health.onStateChange(State.RUNNING);
    assertThat(health.readiness())
        .isEqualTo(new Health.Status(false, "restoring 1 store partition(s)"));

    restore.onBatchRestored(partition, "presets", 60, 60);
    restore.onBatchRestored(partition, "presets", 100, 40);
    restore.onRestoreEnd(partition, "presets", 100);
    assertThat(health.readiness())
        .isEqualTo(
            new Health.Status(
                true, "Kafka Streams is RUNNING and restored (100 changelog records)"));
    assertThat(health.restoredRecords()).isEqualTo(100);
  }

  @Test
  void aSuspendedRestorationNoLongerBlocksReadiness() {
    var partition = new TopicPartition("changelog", 0);
    health.onStateChange(State.RUNNING);
    health.restoreListener().onRestoreStart(partition, "presets", 0, 10);
    health.restoreListener().onRestoreSuspended(partition, "presets", 4);

    assertThat(health.readiness().ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = State.class,
      names = {"ERROR", "PENDING_ERROR", "NOT_RUNNING"})
  void notLiveWhenTheClientIsDeadOrDying(State state) {
    health.onStateChange(state);

    assertThat(health.liveness().ok()).isFalse();
    assertThat(health.readiness().ok()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = State.class,
      names = {"CREATED", "REBALANCING", "RUNNING", "PENDING_SHUTDOWN"})
  void liveWhileTheClientWorks(State state) {
    health.onStateChange(state);

    assertThat(health.liveness().ok()).isTrue();
  }

  @Test
  void aMarkedFailureKeepsLivenessFailingWhateverTheState() {
    health.onStateChange(State.RUNNING);
    health.markFailed("stream threads failed 3 times");
    health.onStateChange(State.RUNNING);

    assertThat(health.liveness())
        .isEqualTo(new Health.Status(false, "stream threads failed 3 times"));
  }

  @Test
  void anUnmetConditionHoldsReadinessBackButNotLiveness() {
    health.onStateChange(State.RUNNING);
    health.conditionUnmet("topics", "prebuilds.builds.v1 has 4 partitions, expected 8");

    assertThat(health.readiness())
        .isEqualTo(
            new Health.Status(false, "topics: prebuilds.builds.v1 has 4 partitions, expected 8"));
    assertThat(health.liveness().ok()).isTrue();

    health.conditionMet("topics");
    assertThat(health.readiness().ok()).isTrue();
  }
}
