package io.prebuilds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.testing.KafkaBroker;

/**
 * {@code topics print|apply|check} against a real broker: apply creates the catalogue and is
 * idempotent, check passes on what apply made, and reports drift and co-partitioning problems by
 * topic name, without changing anything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopicsCommandTest {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  private final StringWriter out = new StringWriter();
  private int partitions = 3;

  private int execute(String... args) {
    var commandLine =
        Main.commandLine(
            Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
            new Components(List.of(), List.of()));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(out, true));
    var all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--set",
            "prebuilds.topics.partitions=" + partitions,
            "--set",
            "prebuilds.topics.replication-factor=1"));
    return commandLine.execute(all.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void checkBeforeApplyNamesTheMissingTopics() {
    assertThat(execute("topics", "check")).isEqualTo(Main.FAILURE);
    assertThat(out.toString())
        .contains("problem: prebuilds.templates.v1 does not exist")
        .contains("not ok");
  }

  @Test
  @Order(2)
  void applyCreatesEveryTopicOfTheCatalogueAndCheckPasses() throws Exception {
    assertThat(execute("topics", "apply")).isEqualTo(Main.OK);
    assertThat(out.toString()).contains("created  prebuilds.builds.v1");

    try (var admin = kafka.admin()) {
      var described =
          admin
              .describeTopics(Topics.all().stream().map(TopicSpec::name).toList())
              .allTopicNames()
              .get();
      assertThat(described).hasSize(Topics.all().size());
      assertThat(described.get(Topics.BUILDS.name()).partitions()).hasSize(3);
      assertThat(described.get(Topics.SETTINGS.name()).partitions()).hasSize(1);
      var templates = new ConfigResource(ConfigResource.Type.TOPIC, Topics.TEMPLATES.name());
      assertThat(
              admin
                  .describeConfigs(List.of(templates))
                  .all()
                  .get()
                  .get(templates)
                  .get("cleanup.policy")
                  .value())
          .isEqualTo("compact");
    }
    out.getBuffer().setLength(0);
    assertThat(execute("topics", "check")).isEqualTo(Main.OK);
    assertThat(out.toString()).contains("ok: all 13 topics match the catalogue");
  }

  @Test
  @Order(3)
  void applyAgainChangesNothing() {
    assertThat(execute("topics", "apply")).isEqualTo(Main.OK);
    assertThat(out.toString()).doesNotContain("created").contains("exists   prebuilds.claims.v1");
  }

  @Test
  @Order(4)
  void configDriftIsReportedNotChangedAndOnlyABadCleanupPolicyFails() throws Exception {
    alter(Topics.BUILDS.name(), "retention.ms", "3600000");

    assertThat(execute("topics", "apply")).isEqualTo(Main.OK);
    assertThat(out.toString())
        .contains("drift:   prebuilds.builds.v1 has retention.ms=3600000, expected 604800000");

    alter(Topics.PRESET_STATE.name(), "cleanup.policy", "delete");
    out.getBuffer().setLength(0);
    assertThat(execute("topics", "check")).isEqualTo(Main.FAILURE);
    assertThat(out.toString())
        .contains("problem: prebuilds.preset-state.v1 has cleanup.policy=delete, expected compact");
    alter(Topics.PRESET_STATE.name(), "cleanup.policy", "compact");
    alter(Topics.BUILDS.name(), "retention.ms", "604800000");
    out.getBuffer().setLength(0);
    assertThat(execute("topics", "check")).isEqualTo(Main.OK);
  }

  @Test
  @Order(5)
  void aDifferentPartitionCountIsAProblemAndApplyLeavesItAlone() throws Exception {
    partitions = 4;

    assertThat(execute("topics", "check")).isEqualTo(Main.FAILURE);
    assertThat(out.toString())
        .contains("problem: prebuilds.builds.v1 has 3 partitions, expected 4");
    try (var admin = kafka.admin()) {
      assertThat(
              admin
                  .describeTopics(List.of(Topics.BUILDS.name()))
                  .allTopicNames()
                  .get()
                  .get(Topics.BUILDS.name())
                  .partitions())
          .hasSize(3);
    }
  }

  @Test
  void printNeedsNoCluster() {
    var commandLine = Main.commandLine(Map.of(), new Components(List.of(), List.of()));
    commandLine.setOut(new PrintWriter(out, true));

    assertThat(commandLine.execute("topics", "print")).isEqualTo(Main.OK);
    assertThat(out.toString().lines())
        .anySatisfy(line -> assertThat(line).contains("prebuilds.templates.v1").contains("compact"))
        .anySatisfy(line -> assertThat(line).startsWith("prebuilds.builds.v1").contains(" 8 "));
  }

  private static void alter(String topic, String key, String value) throws Exception {
    try (var admin = kafka.admin()) {
      var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Map<ConfigResource, Collection<AlterConfigOp>> change =
          Map.of(
              resource,
              List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
      admin.incrementalAlterConfigs(change).all().get();
      // The change reaches the broker's metadata asynchronously; wait until it reads back.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  value.equals(
                      admin
                          .describeConfigs(List.of(resource))
                          .all()
                          .get()
                          .get(resource)
                          .get(key)
                          .value()));
    }
  }
}
