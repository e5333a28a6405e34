package io.prebuilds.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import io.prebuilds.drift.PlanReplacements;
import io.prebuilds.drift.ResourceReplacement;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.PlanDriftDetected;
import io.prebuilds.schemas.event.Replacement;

/**
 * {@code prebuilds drift}: turns the Terraform JSON plan of a claim build ({@code terraform show
 * -json}) into a {@code prebuilds.plan.drift-detected.v1} event, the way a provisioner reports that
 * claiming a prebuild replaced some of its resources. Prints the event; {@code --emit} also
 * produces it to {@code prebuilds.plan-drift.v1}. The event id is derived from the workspace and
 * build number, so emitting twice is deduplicated by the service.
 */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    description = "Turn a claim build's Terraform JSON plan into a plan-drift event.")
final class DriftCommand implements Callable<Integer> {
  static final String SOURCE = "/prebuilds/cli/drift";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;
  @Mixin TopicsCommand.ClusterOptions cluster;

  @Option(
      names = "--plan",
      required = true,
      paramLabel = "FILE",
      description = "Terraform JSON plan (terraform show -json PLANFILE).")
  Path plan;

  @Option(names = "--workspace", required = true, paramLabel = "ID", description = "Workspace id.")
  String workspaceId;

  @Option(names = "--preset", required = true, paramLabel = "ID", description = "Preset id.")
  String presetId;

  @Option(names = "--build", required = true, paramLabel = "ID", description = "Claim build id.")
  String buildId;

  @Option(
      names = "--build-number",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "Build number of the claim build (default: ${DEFAULT-VALUE}, the first build after the"
              + " prebuild's own).")
  int buildNumber;

  @Option(names = "--claim", paramLabel = "ID", description = "The claim the build serves.")
  String claimId;

  @Option(names = "--emit", description = "Also produce the event to prebuilds.plan-drift.v1.")
  boolean emit;

  private final Map<String, String> environment;
  private final Clock clock;

  DriftCommand(Map<String, String> environment) {
    this(environment, Clock.systemUTC());
  }

  DriftCommand(Map<String, String> environment, Clock clock) {
    this.environment = environment;
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException, InterruptedException, ExecutionException {
    if (buildNumber < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--build-number must be >= 1, got " + buildNumber);
    }
    List<ResourceReplacement> replacements;
    try {
      replacements = PlanReplacements.read(readPlan());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), plan + ": " + e.getMessage());
    }
    var out = spec.commandLine().getOut();
    if (replacements.isEmpty()) {
      out.println("no resource replacements in " + plan + "; nothing to report");
      out.flush();
      return Main.OK;
    }
    var now = clock.instant();
    var drift =
        new PlanDriftDetected(
            presetId,
            workspaceId,
            buildId,
            buildNumber,
            Optional.ofNullable(claimId),
            replacements.stream().map(r -> new Replacement(r.resource(), r.paths())).toList(),
            now);
    var envelope = Envelope.of(SOURCE, "drift/" + workspaceId + "/" + buildNumber, now, drift);
    byte[] value = EventCodec.create().encode(envelope);
    out.println(new String(value, StandardCharsets.UTF_8));
    if (emit) {
      var loaded = cluster.load(config, environment, Map.of());
      var properties = loaded.streams().adminProperties();
      properties.put(ProducerConfig.ACKS_CONFIG, "all");
      properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      try (var producer =
          new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
        var metadata =
            producer.send(new ProducerRecord<>(Topics.PLAN_DRIFT.name(), presetId, value)).get();
        out.printf(
            "emitted to %s partition %d offset %d%n",
            metadata.topic(), metadata.partition(), metadata.offset());
      }
    }
    out.flush();
    return Main.OK;
  }

  private JsonNode readPlan() throws IOException {
    if (!Files.isReadable(plan)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "cannot read plan " + plan);
    }
    try {
      return MAPPER.readTree(Files.readAllBytes(plan));
    } catch (JsonProcessingException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), plan + " is not JSON: " + e.getOriginalMessage());
    }
  }
}
