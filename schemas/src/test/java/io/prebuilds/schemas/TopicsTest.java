package io.prebuilds.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.prebuilds.schemas.TopicSpec.CleanupPolicy;
import io.prebuilds.schemas.TopicSpec.Direction;
import io.prebuilds.schemas.TopicSpec.KeyKind;
import io.prebuilds.schemas.event.EventType;

class TopicsTest {

  /** ARCHITECTURE §2, in its order. */
  private static final List<String> ARCHITECTURE_TOPICS =
      List.of(
          "prebuilds.templates.v1",
          "prebuilds.builds.v1",
          "prebuilds.inventory.v1",
          "prebuilds.claims.v1",
          "prebuilds.plan-drift.v1",
          "prebuilds.control.v1",
          "prebuilds.settings.v1",
          "prebuilds.command-results.v1",
          "prebuilds.commands.v1",
          "prebuilds.claim-results.v1",
          "prebuilds.notifications.v1",
          "prebuilds.preset-state.v1",
          "prebuilds.dlq.v1");

  @Test
  void everyTopicOfTheArchitectureIsInTheCatalogue() {
    assertThat(Topics.all())
        .extracting(TopicSpec::name)
        .containsExactlyElementsOf(ARCHITECTURE_TOPICS);
  }

  @Test
  void inputsAreTheTopicsTheServiceReads() {
    assertThat(Topics.inputs())
        .extracting(TopicSpec::name)
        .containsExactlyElementsOf(ARCHITECTURE_TOPICS.subList(0, 8));
    assertThat(Topics.outputs())
        .extracting(TopicSpec::name)
        .containsExactlyElementsOf(ARCHITECTURE_TOPICS.subList(8, 13));
    assertThat(Topics.inputs()).allMatch(topic -> topic.direction() == Direction.INPUT);
  }

  @Test
  void templatesSettingsAndPresetStateAreCompactedAndKeptUntilReplaced() {
    List<TopicSpec<?>> compacted =
        Topics.all().stream().filter(t -> t.cleanupPolicy() == CleanupPolicy.COMPACT).toList();

    assertThat(compacted).containsExactly(Topics.TEMPLATES, Topics.SETTINGS, Topics.PRESET_STATE);
    assertThat(compacted)
        .allSatisfy(
            topic -> {
              assertThat(topic.configs())
                  .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")
                  .doesNotContainKey(TopicConfig.RETENTION_MS_CONFIG);
            });
  }

  @Test
  void otherTopicsExpireByRetention() {
    assertThat(Topics.all())
        .filteredOn(t -> t.cleanupPolicy() == CleanupPolicy.DELETE)
        .allSatisfy(
            topic ->
                assertThat(topic.configs())
                    .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete")
                    .containsKey(TopicConfig.RETENTION_MS_CONFIG));
    assertThat(Topics.BUILDS.configs())
        .containsEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(7L * 24 * 3600 * 1000));
  }

  @Test
  void dlqAcceptsLargerRecordsThanAnyOtherTopic() {
    int dlq = Integer.parseInt(Topics.DLQ.configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG));

    assertThat(Topics.all())
        .filteredOn(topic -> topic != Topics.DLQ)
        .allSatisfy(topic -> assertThat(topic.maxMessageBytes()).isLessThan(dlq));
  }

  @Test
  void codecLimitIsBelowEveryEventTopicLimit() {
    assertThat(Topics.all())
        .allSatisfy(
            topic ->
                assertThat(topic.maxMessageBytes()).isGreaterThan(EventCodec.DEFAULT_MAX_BYTES));
  }

  @Test
  void everyPresetKeyedTopicIsInTheCoPartitionGroup() {
    assertThat(Topics.coPartitioned())
        .containsExactly(
            Topics.BUILDS,
            Topics.INVENTORY,
            Topics.CLAIMS,
            Topics.PLAN_DRIFT,
            Topics.CONTROL,
            Topics.COMMAND_RESULTS,
            Topics.COMMANDS,
            Topics.PRESET_STATE);
    assertThat(Topics.all())
        .filteredOn(
            t -> t.key() == KeyKind.PRESET_ID || t.key() == KeyKind.PRESET_ID_OR_ORGANIZATION)
        .allMatch(TopicSpec::coPartitioned);
  }

  @Test
  void commandsAndCommandResultsAlsoCarryOrganizationKeys() {
    assertThat(Topics.COMMANDS.key()).isEqualTo(KeyKind.PRESET_ID_OR_ORGANIZATION);
    assertThat(Topics.COMMAND_RESULTS.key()).isEqualTo(KeyKind.PRESET_ID_OR_ORGANIZATION);
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyEventTypeIsCarriedByExactlyOneTopic(EventType type) {
    assertThat(Topics.all()).filteredOn(topic -> topic.carries(type)).hasSize(1);
    assertThat(Topics.carrying(type).valueTypes()).contains(type);
  }

  @Test
  void dlqCarriesNoEventTypeOfItsOwn() {
    assertThat(Topics.DLQ.valueTypes()).isEmpty();
  }

  @Test
  void topicsAreFoundByName() {
    assertThat(Topics.byName("prebuilds.builds.v1")).contains(Topics.BUILDS);
    assertThat(Topics.byName("prebuilds.unknown.v1")).isEmpty();
  }

  @Test
  void newTopicHasTheGivenPartitionsReplicationAndConfigs() {
    NewTopic topic = Topics.PRESET_STATE.newTopic(12, (short) 3);

    assertThat(topic.name()).isEqualTo("prebuilds.preset-state.v1");
    assertThat(topic.numPartitions()).isEqualTo(12);
    assertThat(topic.replicationFactor()).isEqualTo((short) 3);
    assertThat(topic.configs()).isEqualTo(Topics.PRESET_STATE.configs());
  }

  @Test
  void newTopicRefusesZeroPartitions() {
    assertThatThrownBy(() -> Topics.BUILDS.newTopic(0, (short) 1))
        .hasMessageContaining("prebuilds.builds.v1")
        .hasMessageContaining("partitions");
  }

  @Test
  void topicNamesCarryTheirMajorVersion() {
    assertThat(Topics.all())
        .extracting(TopicSpec::name)
        .allMatch(name -> name.matches("prebuilds\\.[a-z-]+\\.v1"));
    assertThat(Arrays.stream(EventType.values()).map(EventType::wire))
        .allMatch(wire -> wire.matches("prebuilds\\.[a-z.-]+\\.v1"));
  }
}
