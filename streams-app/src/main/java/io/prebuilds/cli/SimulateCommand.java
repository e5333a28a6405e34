package io.prebuilds.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import io.prebuilds.runtime.config.Setting;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.simulation.ScenarioException;
import io.prebuilds.simulation.ScenarioParser;
import io.prebuilds.simulation.ScenarioStep;
import io.prebuilds.simulation.Simulation;
import io.prebuilds.topology.AdmissionSettings;
import io.prebuilds.topology.PrebuildsTopology;
import io.prebuilds.topology.TopologyMetrics;
import io.prebuilds.topology.TopologySettings;

/**
 * {@code prebuilds simulate}: replays a JSONL scenario through the real topology with a virtual
 * clock and prints every record it wrote (docs/scenarios.md). No broker needed.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Replay a JSONL scenario through the real topology with a virtual clock.")
final class SimulateCommand implements Callable<Integer> {

  static final Instant DEFAULT_START = Instant.parse("2025-06-02T08:00:00Z");

  /** The settings a scenario's {@code settings} line may set. */
  static final List<String> SCENARIO_SETTINGS =
      List.of(Setting.ADMISSION_BUDGET.key(), Setting.CAPACITY_CAPS.key());

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SCENARIO",
      description = "Scenario file (JSONL); standard input when absent or '-'.")
  Path scenario;

  @Option(
      names = "--start",
      paramLabel = "INSTANT",
      description = "Virtual time at the start (default: ${DEFAULT-VALUE}).")
  Instant start = DEFAULT_START;

  @Option(names = "--out", paramLabel = "FILE", description = "Write output here, not stdout.")
  Path out;

  @Option(names = "--explain", description = "Print each preset's reasons after its state.")
  boolean explain;

  @Override
  public Integer call() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    Set<String> inputs = Topics.inputs().stream().map(TopicSpec::name).collect(Collectors.toSet());
    List<ScenarioStep> steps;
    TopologySettings settings;
    try (Reader reader = open()) {
      steps = new ScenarioParser(mapper, inputs).parse(reader);
      settings = settings(steps);
    } catch (ScenarioException e) {
      spec.commandLine().getErr().println("prebuilds: " + e.getMessage());
      return Main.USAGE;
    }
    run(steps, settings, mapper);
    return Main.OK;
  }

  /** The topology settings a scenario's {@code settings} line asks for, over the defaults. */
  static TopologySettings settings(List<ScenarioStep> steps) {
    TopologySettings settings = TopologySettings.defaults(1);
    for (ScenarioStep step : steps) {
      if (step instanceof ScenarioStep.Settings given) {
        for (Map.Entry<String, String> entry : given.values().entrySet()) {
          settings = apply(settings, given.line(), entry.getKey(), entry.getValue());
        }
      }
    }
    return settings;
  }

  private static TopologySettings apply(
      TopologySettings settings, int line, String key, String value) {
    if (!SCENARIO_SETTINGS.contains(key)) {
      throw new ScenarioException(
          line, "setting '" + key + "' cannot be set in a scenario; known: " + SCENARIO_SETTINGS);
    }
    AdmissionSettings admission = settings.admission();
    try {
      return settings.withAdmission(
          key.equals(Setting.CAPACITY_CAPS.key())
              ? admission.withCaps(AdmissionSettings.parseCaps(value))
              : new AdmissionSettings(Integer.parseInt(value), admission.caps()));
    } catch (IllegalArgumentException e) {
      throw new ScenarioException(line, key + ": " + e.getMessage());
    }
  }

  private void run(List<ScenarioStep> steps, TopologySettings settings, ObjectMapper mapper)
      throws IOException {
    Path stateDir = Files.createTempDirectory("prebuilds-simulate-");
    List<String> outputs = Topics.outputs().stream().map(TopicSpec::name).toList();
    try (Writer writer = output();
        Simulation simulation =
            new Simulation(
                PrebuildsTopology.build(settings, TopologyMetrics.NONE),
                driverConfig(stateDir),
                start,
                Set.copyOf(Topics.inputs().stream().map(TopicSpec::name).toList()),
                outputs,
                driver ->
                    PrebuildsTopology.earliestDue(
                        driver.getKeyValueStore(PrebuildsTopology.DUE_INDEX_STORE)),
                settings.tick(),
                mapper,
                new Simulation.Explain(explain, Topics.PRESET_STATE.name()))) {
      simulation.run(steps, writer);
    } finally {
      deleteRecursively(stateDir);
    }
  }

  static Properties driverConfig(Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "prebuilds-simulate");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "simulated:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putAll(PrebuildsTopology.requiredStreamsConfig(TopologyMetrics.NONE));
    return props;
  }

  private Reader open() throws IOException {
    if (scenario == null || scenario.toString().equals("-")) {
      return new InputStreamReader(System.in, StandardCharsets.UTF_8);
    }
    if (!Files.isReadable(scenario)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "cannot read scenario file " + scenario);
    }
    return Files.newBufferedReader(scenario, StandardCharsets.UTF_8);
  }

  private Writer output() throws IOException {
    if (out == null) {
      return new BufferedWriter(spec.commandLine().getOut()) {
        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }
    return Files.newBufferedWriter(out, StandardCharsets.UTF_8);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
