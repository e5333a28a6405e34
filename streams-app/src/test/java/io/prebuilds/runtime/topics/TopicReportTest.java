package io.prebuilds.runtime.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;

class TopicReportTest {
  private static final int PARTITIONS = 8;

  /** Every topic of the catalogue, exactly as {@code apply} creates it. */
  private static Map<String, ObservedTopic> asCreated() {
    var observed = new HashMap<String, ObservedTopic>();
    for (TopicSpec<?> spec : Topics.all()) {
      observed.put(
          spec.name(),
          new ObservedTopic(
              spec.name(), TopicAdmin.partitionsFor(spec, PARTITIONS), spec.configs()));
    }
    return observed;
  }

  @Test
  void topicsAsCreatedHaveNoFindings() {
    var report = TopicReport.compare(Topics.all(), asCreated(), PARTITIONS);

    assertThat(report.findings()).isEmpty();
    assertThat(report.ready()).isTrue();
    assertThat(report.refusal()).isEmpty();
  }

  @Test
  void aMissingTopicBlocksAndIsNamed() {
    var observed = asCreated();
    observed.remove(Topics.CLAIMS.name());
    observed.remove(Topics.DLQ.name());

    var report = TopicReport.compare(Topics.all(), observed, PARTITIONS);

    assertThat(report.ready()).isFalse();
    assertThat(report.refusal()).contains("missing topics: prebuilds.claims.v1, prebuilds.dlq.v1");
  }

  @Test
  void aPresetKeyedTopicWithAnotherPartitionCountBreaksCoPartitioning() {
    var observed = asCreated();
    observed.put(
        Topics.BUILDS.name(), new ObservedTopic(Topics.BUILDS.name(), 4, Topics.BUILDS.configs()));

    var report = TopicReport.compare(Topics.all(), observed, PARTITIONS);

    assertThat(report.ready()).isFalse();
    assertThat(report.refusal().orElseThrow())
        .startsWith("prebuilds.builds.v1 has 4 partitions, expected 8");
  }

  @Test
  void topicsOutsideTheCoPartitionGroupMayHaveAnyPartitionCount() {
    var observed = asCreated();
    observed.put(
        Topics.NOTIFICATIONS.name(),
        new ObservedTopic(Topics.NOTIFICATIONS.name(), 1, Topics.NOTIFICATIONS.configs()));

    assertThat(TopicReport.compare(Topics.all(), observed, PARTITIONS).findings()).isEmpty();
  }

  @Test
  void aWrongCleanupPolicyBlocksButOtherConfigDriftDoesNot() {
    var observed = asCreated();
    var templates = new HashMap<>(Topics.TEMPLATES.configs());
    templates.put("cleanup.policy", "delete");
    observed.put(
        Topics.TEMPLATES.name(), new ObservedTopic(Topics.TEMPLATES.name(), PARTITIONS, templates));
    var builds = new HashMap<>(Topics.BUILDS.configs());
    builds.put("retention.ms", "1000");
    observed.put(Topics.BUILDS.name(), new ObservedTopic(Topics.BUILDS.name(), PARTITIONS, builds));

    var report = TopicReport.compare(Topics.all(), observed, PARTITIONS);

    assertThat(report.blocking())
        .extracting(TopicFinding::describe)
        .containsExactly("prebuilds.templates.v1 has cleanup.policy=delete, expected compact");
    assertThat(report.drift())
        .extracting(TopicFinding::describe)
        .containsExactly("prebuilds.builds.v1 has retention.ms=1000, expected 604800000");
  }
}
