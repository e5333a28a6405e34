package io.prebuilds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every example scenario replays to exactly its expected output, so the examples in the docs cannot
 * rot. Run with {@code -Dexamples.update=true} to rewrite the expected files after a deliberate
 * change (then review the diff).
 */
class SimulationExamplesTest {

  static final Path EXAMPLES = Path.of("..", "examples", "scenarios");
  private static final boolean UPDATE = Boolean.getBoolean("examples.update");

  static Stream<Path> scenarios() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files
          .filter(p -> p.toString().endsWith(".jsonl") && !p.toString().endsWith(".expected.jsonl"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void scenarioReplaysToItsExpectedOutput(Path scenario) throws IOException {
    String output = simulate(scenario.toString());
    Path expected = expectedFor(scenario);
    if (UPDATE) {
      Files.writeString(expected, output, StandardCharsets.UTF_8);
    }
    assertThat(expected).exists();
    assertThat(output).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
  }

  @Test
  void everyExampleHasItsExpectedOutput() throws IOException {
    assertThat(scenarios().toList()).hasSizeGreaterThanOrEqualTo(5);
    for (Path scenario : scenarios().toList()) {
      assertThat(expectedFor(scenario)).exists();
    }
  }

  @Test
  void replayIsByteIdenticalAcrossRuns() throws IOException {
    Path scenario = EXAMPLES.resolve("claim-and-backfill.jsonl");
    assertThat(simulate(scenario.toString())).isEqualTo(simulate(scenario.toString()));
  }

  @Test
  void explainAddsReasonsWithoutChangingTheRecords() throws IOException {
    Path scenario = EXAMPLES.resolve("pool-fill.jsonl");
    String plain = simulate(scenario.toString());
    String explained = simulate("--explain", scenario.toString());
    List<String> records = explained.lines().filter(l -> !l.startsWith("# explain ")).toList();
    assertThat(records).isEqualTo(plain.lines().toList());
    assertThat(explained.lines().filter(l -> l.startsWith("# explain preset-small: ")))
        .isNotEmpty();
  }

  @Test
  void invalidLineFailsWithItsNumberAndReason(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path scenario = dir.resolve("bad.jsonl");
    Files.writeString(scenario, "# comment\n{\"advance\":\"PT1M\"}\n{\"advance\":\"soon\"}\n");
    StringWriter err = new StringWriter();
    int exit = command(new StringWriter(), err).execute("simulate", scenario.toString());
    assertThat(exit).isEqualTo(Main.USAGE);
    assertThat(err.toString())
        .contains("line 3: \"advance\" is not an ISO-8601 duration (e.g. PT5M): soon");
  }

  private static String simulate(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] full = Stream.concat(Stream.of("simulate"), Stream.of(args)).toArray(String[]::new);
    int exit = command(out, err).execute(full);
    assertThat(exit).as("simulate exit code; stderr: %s", err).isEqualTo(Main.OK);
    return out.toString();
  }

  private static CommandLine command(StringWriter out, StringWriter err) {
    CommandLine commandLine = Main.commandLine(Map.of(), Main.components());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine;
  }

  private static Path expectedFor(Path scenario) {
    String name = scenario.getFileName().toString().replace(".jsonl", ".expected.jsonl");
    return scenario.resolveSibling(name);
  }
}
