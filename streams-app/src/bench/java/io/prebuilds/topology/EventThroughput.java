package io.prebuilds.topology;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;

import io.prebuilds.bench.Stopwatch;
import io.prebuilds.bench.TempDirectory;
import io.prebuilds.reconcile.PresetDefinition;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.EventSerdes;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.AgentStatusChanged;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.Lifecycle;
import io.prebuilds.schemas.event.TemplateSnapshot;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.schemas.event.UserRef;

/**
 * Events per second through the production topology in a {@link BenchDriver}, in the three phases
 * of a pool's life: template snapshots define the presets (and the pools' creates go out), the
 * provisioner answers every create (build succeeded, then agents ready), and one user claims a
 * prebuild of every preset (claim result, claim command, backfill create).
 *
 * <p>Every input is encoded before the clock starts; a phase's time is the time its {@code
 * pipeInput} calls take, which covers decoding and validation at the source, the repartition of
 * definitions, the reconciler, encoding every output, and what the driver does per input record: an
 * exactly-once commit that flushes every store. The driver is single-threaded and has no broker, so
 * these are rates of the processing code, not of a deployment (the broker-level benchmark belongs
 * to the runtime).
 */
final class EventThroughput {

  private static final String SOURCE = "/bench";

  private final int presets;
  private final int warmupPresets;
  private final PrintStream out;
  private final EventCodec codec = EventCodec.create();
  private int eventSeq;

  EventThroughput(int presets, int warmupPresets, PrintStream out) {
    this.presets = presets;
    this.warmupPresets = roundUp(warmupPresets);
    this.out = out;
  }

  /** One phase's inputs, ready to pipe. */
  private record Inputs(
      TestInputTopic<String, byte[]> topic, List<KeyValue<String, byte[]>> records) {}

  private record PhaseResult(
      String name, int inputs, Stopwatch.Elapsed elapsed, Map<String, Integer> outputs) {}

  /** Presets in whole templates, so the warm-up's templates never share a measured preset. */
  private static int roundUp(int count) {
    int perTemplate = BenchPresets.PRESETS_PER_TEMPLATE;
    return (count + perTemplate - 1) / perTemplate * perTemplate;
  }

  void run() {
    out.printf(
        Locale.ROOT,
        "%n## events through the topology: %,d presets in %,d templates, after a warm-up with"
            + " %,d others%n",
        presets,
        roundUp(presets) / BenchPresets.PRESETS_PER_TEMPLATE,
        warmupPresets);
    // unpaced: every preset is decided as its definition arrives, before the measured events
    TopologySettings settings =
        TopologySettings.defaults(1).withDecisionsPerSecond(DecisionPacer.UNPACED);
    try (TempDirectory dir = new TempDirectory("prebuilds-bench-events-");
        BenchDriver bench = new BenchDriver(settings, BenchPresets.NOW, dir.path())) {
      int measuredFrom = warmupPresets;
      phases(bench, 0, warmupPresets);
      report(phases(bench, measuredFrom, presets));
    }
  }

  /** The three phases for presets {@code from} to {@code from + count - 1}. */
  private List<PhaseResult> phases(BenchDriver bench, int from, int count) {
    List<PhaseResult> results = new ArrayList<>();
    List<CreatePrebuild> creates = new ArrayList<>();
    results.add(phase(bench, "templates", templates(bench, from, count), creates));
    List<CreatePrebuild> pool = List.copyOf(creates);
    creates.clear();
    results.add(phase(bench, "builds + agents ready", builds(bench, pool), creates));
    results.add(phase(bench, "claims", claims(bench, from, count), creates));
    return results;
  }

  private PhaseResult phase(
      BenchDriver bench, String name, Inputs inputs, List<CreatePrebuild> createsOut) {
    Stopwatch stopwatch = Stopwatch.start();
    for (KeyValue<String, byte[]> record : inputs.records()) {
      inputs.topic().pipeInput(record.key, record.value, BenchPresets.NOW);
    }
    Stopwatch.Elapsed elapsed = stopwatch.stop();
    List<Envelope<Command>> commands =
        bench
            .driver
            .createOutputTopic(
                Topics.COMMANDS.name(),
                new StringDeserializer(),
                EventSerdes.forTopic(Topics.COMMANDS).deserializer())
            .readValuesToList();
    for (Envelope<Command> command : commands) {
      if (command.data() instanceof CreatePrebuild create) {
        createsOut.add(create);
      }
    }
    Map<String, Integer> outputs = new TreeMap<>(bench.drain());
    if (!commands.isEmpty()) {
      outputs.put(Topics.COMMANDS.name(), commands.size());
    }
    return new PhaseResult(name, inputs.records().size(), elapsed, outputs);
  }

  private Inputs templates(BenchDriver bench, int from, int count) {
    List<KeyValue<String, byte[]>> records = new ArrayList<>();
    int end = from + count;
    for (int first = from; first < end; first += BenchPresets.PRESETS_PER_TEMPLATE) {
      List<TemplateSnapshot.Preset> snapshotPresets = new ArrayList<>();
      int last = Math.min(end, first + BenchPresets.PRESETS_PER_TEMPLATE);
      for (int i = first; i < last; i++) {
        snapshotPresets.add(preset(BenchPresets.definition(i)));
      }
      PresetDefinition any = BenchPresets.definition(first);
      TemplateSnapshot snapshot =
          new TemplateSnapshot(
              any.templateId(),
              any.templateName(),
              any.organizationId(),
              any.organizationName(),
              any.templateAdmins().stream()
                  .map(a -> new UserRef(a.userId(), a.username()))
                  .toList(),
              false,
              false,
              any.templateVersionId(),
              new Lifecycle(
                  OptionalLong.of(28_800),
                  Optional.of("30 8 * * 1-5"),
                  OptionalInt.empty(),
                  OptionalLong.empty()),
              List.of(
                  new TemplateSnapshot.Version(
                      any.templateVersionId(), "v1", List.copyOf(snapshotPresets))),
              BenchPresets.NOW);
      records.add(KeyValue.pair(snapshot.templateId(), encode(snapshot)));
    }
    return new Inputs(bench.templates, records);
  }

  private static TemplateSnapshot.Preset preset(PresetDefinition definition) {
    return new TemplateSnapshot.Preset(
        definition.presetId(),
        definition.presetName(),
        definition.desiredInstances(),
        definition.schedulingTimezone().isEmpty()
            ? Optional.empty()
            : Optional.of(definition.schedulingTimezone()),
        definition.schedules().stream()
            .map(s -> new TemplateSnapshot.Schedule(s.cron(), s.desiredInstances()))
            .toList(),
        definition.ttl().isZero()
            ? OptionalLong.empty()
            : OptionalLong.of(definition.ttl().toSeconds()),
        Optional.empty());
  }

  /** The provisioner's answer to every create: the start build succeeded, then agents ready. */
  private Inputs builds(BenchDriver bench, List<CreatePrebuild> creates) {
    List<KeyValue<String, byte[]>> records = new ArrayList<>();
    Instant builtAt = BenchPresets.NOW.plus(Duration.ofSeconds(90));
    for (CreatePrebuild create : creates) {
      BuildCompleted build =
          new BuildCompleted(
              create.presetId(),
              create.workspaceId(),
              create.workspaceId() + "-b1",
              1,
              Optional.of(create.commandId()),
              Optional.empty(),
              create.templateId(),
              create.templateVersionId(),
              create.organizationId(),
              Transition.START,
              BuildStatus.SUCCEEDED,
              Optional.empty(),
              EventMapping.PREBUILDS_SYSTEM_USER,
              builtAt);
      records.add(KeyValue.pair(create.presetId(), encode(build)));
      AgentStatusChanged ready =
          new AgentStatusChanged(create.presetId(), create.workspaceId(), 1, true, builtAt);
      records.add(KeyValue.pair(create.presetId(), encode(ready)));
    }
    return new Inputs(bench.builds, records);
  }

  /** One claim per preset, with a deadline well after the benchmark. */
  private Inputs claims(BenchDriver bench, int from, int count) {
    List<KeyValue<String, byte[]>> records = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      PresetDefinition preset = BenchPresets.definition(i);
      String user = "user-" + i;
      ClaimRequested claim =
          new ClaimRequested(
              "claim-" + i,
              preset.presetId(),
              preset.organizationId(),
              user,
              user,
              user + "-workspace",
              BenchPresets.NOW,
              BenchPresets.NOW.plus(Duration.ofMinutes(5)));
      records.add(KeyValue.pair(preset.presetId(), encode(claim)));
    }
    return new Inputs(bench.claims, records);
  }

  private byte[] encode(Event data) {
    return codec.encode(Envelope.of(SOURCE, "bench-" + (++eventSeq), BenchPresets.NOW, data));
  }

  private void report(List<PhaseResult> results) {
    out.printf(
        Locale.ROOT,
        "%n| phase | input events | output records (commands, preset-state, claim-results)"
            + " | internal records (changelogs, repartition) | wall s | CPU s | input events/s:"
            + " wall | per CPU second | output records/s: wall |%n"
            + "|---|---:|---|---:|---:|---:|---:|---:|---:|%n");
    int inputs = 0;
    int outputs = 0;
    long wall = 0;
    long cpu = 0;
    for (PhaseResult result : results) {
      int external = 0;
      int internal = 0;
      StringBuilder byTopic = new StringBuilder();
      for (Map.Entry<String, Integer> entry : result.outputs().entrySet()) {
        if (entry.getKey().startsWith(BenchDriver.APPLICATION_ID)) {
          internal += entry.getValue();
        } else {
          external += entry.getValue();
          byTopic.append(byTopic.isEmpty() ? "" : ", ").append(entry.getValue());
          byTopic.append(' ').append(shortName(entry.getKey()));
        }
      }
      row(
          result.name(),
          result.inputs(),
          String.format(Locale.ROOT, "%,d (%s)", external, byTopic),
          String.format(Locale.ROOT, "%,d", internal),
          external,
          result.elapsed().wallNanos(),
          result.elapsed().cpuNanos());
      inputs += result.inputs();
      outputs += external;
      wall += result.elapsed().wallNanos();
      cpu += result.elapsed().cpuNanos();
    }
    row("all", inputs, String.format(Locale.ROOT, "%,d", outputs), "", outputs, wall, cpu);
  }

  private void row(
      String name,
      int inputs,
      String outputColumn,
      String internalColumn,
      int outputs,
      long wallNanos,
      long cpuNanos) {
    double wallSeconds = wallNanos / 1e9;
    double cpuSeconds = cpuNanos / 1e9;
    out.printf(
        Locale.ROOT,
        "| %s | %,d | %s | %s | %.2f | %.2f | %,.0f | %,.0f | %,.0f |%n",
        name,
        inputs,
        outputColumn,
        internalColumn,
        wallSeconds,
        cpuSeconds,
        inputs / wallSeconds,
        inputs / cpuSeconds,
        outputs / wallSeconds);
  }

  private static String shortName(String topic) {
    return topic.replace("prebuilds.", "").replace(".v1", "");
  }
}
