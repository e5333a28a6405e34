package io.prebuilds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import io.prebuilds.schemas.Decoded;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.PlanDriftDetected;
import io.prebuilds.testing.KafkaBroker;

/**
 * {@code validate} prints the file, line and reason of every invalid event; {@code drift} turns the
 * Terraform fixtures under {@code src/test/resources/terraform} into plan-drift events and emits
 * one to a real broker.
 */
class ValidateAndDriftCommandTest {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  private static final Instant NOW = Instant.parse("2025-06-02T08:00:00Z");
  private static final Path TERRAFORM = Path.of("src/test/resources/terraform");

  @TempDir Path directory;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    var commandLine = new CommandLine(new Main());
    commandLine.addSubcommand(new ValidateCommand());
    commandLine.addSubcommand(
        new DriftCommand(
            Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
            Clock.fixed(NOW, ZoneOffset.UTC)));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private static String example(String type) throws IOException {
    try (InputStream in =
        ValidateAndDriftCommandTest.class.getResourceAsStream("/examples/" + type + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void validatePrintsLineAndReasonOfEachInvalidEventInAJsonlFile() throws IOException {
    var valid = example("prebuilds.build.completed.v1").replaceAll("\\s*\\n\\s*", "");
    var missingWorkspace = valid.replace("\"workspaceId\"", "\"workspace\"");
    var file = directory.resolve("events.jsonl");
    Files.writeString(file, valid + "\n\n" + missingWorkspace + "\nnot json\n");

    assertThat(execute("validate", file.toString())).isEqualTo(Main.FAILURE);
    assertThat(out.toString().lines())
        .contains(file + ":3: /data/workspaceId: is required but missing")
        .anySatisfy(line -> assertThat(line).startsWith(file + ":4: value is not JSON"))
        .contains("1 valid, 2 invalid");
  }

  @Test
  void validateAcceptsAPrettyPrintedEventAndAnArray() throws IOException {
    var single = directory.resolve("claim.json");
    Files.writeString(single, example("prebuilds.claim.requested.v1"));
    var array = directory.resolve("two.json");
    Files.writeString(
        array,
        "["
            + example("prebuilds.template.snapshot.v1")
            + ","
            + example("prebuilds.settings.global.v1")
            + "]");

    assertThat(execute("validate", single.toString(), array.toString())).isEqualTo(Main.OK);
    assertThat(out.toString()).contains("3 valid, 0 invalid");
  }

  @Test
  void driftPrintsThePlanDriftEventWithTheReplacements() {
    assertThat(
            execute(
                "drift",
                "--plan",
                TERRAFORM.resolve("plan-replacements.json").toString(),
                "--workspace",
                "ws-1",
                "--preset",
                "p-1",
                "--build",
                "b-2",
                "--claim",
                "claim-1"))
        .isEqualTo(Main.OK);

    var drift = decode(out.toString().lines().findFirst().orElseThrow());
    assertThat(drift.workspaceId()).isEqualTo("ws-1");
    assertThat(drift.buildNumber()).isEqualTo(2);
    assertThat(drift.claimId()).contains("claim-1");
    assertThat(drift.detectedAt()).isEqualTo(NOW);
    assertThat(drift.replacements()).isNotEmpty();
    assertThat(drift.replacements()).noneMatch(r -> r.resource().startsWith("coder_"));
  }

  @Test
  void driftSaysSoWhenThePlanReplacesNothing() {
    assertThat(
            execute(
                "drift",
                "--plan",
                TERRAFORM.resolve("plan-no-changes.json").toString(),
                "--workspace",
                "ws-1",
                "--preset",
                "p-1",
                "--build",
                "b-2"))
        .isEqualTo(Main.OK);
    assertThat(out.toString()).startsWith("no resource replacements in");
  }

  @Test
  void driftRejectsAFileThatIsNotAPlan() throws IOException {
    var notAPlan = directory.resolve("plan.json");
    Files.writeString(notAPlan, "{\"resource_changes\": []}");

    assertThat(
            execute(
                "drift",
                "--plan",
                notAPlan.toString(),
                "--workspace",
                "w",
                "--preset",
                "p",
                "--build",
                "b"))
        .isEqualTo(Main.USAGE);
    assertThat(err.toString()).contains("not a Terraform JSON plan");
  }

  @Test
  void driftEmitsTheEventToThePlanDriftTopic() {
    kafka.createTopics(List.of(Topics.PLAN_DRIFT.newTopic(1, (short) 1)));

    assertThat(
            execute(
                "drift",
                "--plan",
                TERRAFORM.resolve("plan-tainted.json").toString(),
                "--workspace",
                "ws-9",
                "--preset",
                "p-9",
                "--build",
                "b-9",
                "--build-number",
                "5",
                "--emit"))
        .isEqualTo(Main.OK);
    assertThat(out.toString()).contains("emitted to prebuilds.plan-drift.v1 partition 0 offset 0");

    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, String>(kafka.consumerProperties())) {
      consumer.subscribe(List.of(Topics.PLAN_DRIFT.name()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
              });
    }
    assertThat(records.get(0).key()).isEqualTo("p-9");
    assertThat(decode(records.get(0).value()).buildNumber()).isEqualTo(5);
  }

  private static PlanDriftDetected decode(String json) {
    var decoded =
        EventCodec.create().decode(Topics.PLAN_DRIFT, json.getBytes(StandardCharsets.UTF_8));
    assertThat(decoded).isInstanceOf(Decoded.Accepted.class);
    return (PlanDriftDetected) decoded.orElseThrow().data();
  }
}
