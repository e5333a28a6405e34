package io.prebuilds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/configuration.md promises about bad configuration, through the real command line: the
 * command stops at start with exit code 2 and one line naming the key and where its value came
 * from, whichever source it came from, including Kafka's own settings and an unreadable file.
 */
class ConfigErrorsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path directory;

  private int run(Map<String, String> environment, String... args) {
    var commandLine = Main.commandLine(environment, new Components(List.of(), List.of()));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private List<String> errorLines() {
    return err.toString().lines().toList();
  }

  @Test
  void theExampleInTheDocsIsWhatTheCommandPrints() throws Exception {
    var docs = Files.readString(Path.of("..", "docs", "configuration.md"));
    var example =
        docs.lines()
            .map(String::strip)
            .filter(line -> line.startsWith("prebuilds: prebuilds.http.port:"))
            .findFirst()
            .orElseThrow();

    var exit =
        run(Map.of("PREBUILDS_HTTP_PORT", "abc"), "run", "--bootstrap-servers", "localhost:9092");

    assertThat(exit).isEqualTo(2);
    assertThat(errorLines()).containsExactly(example);
  }

  @Test
  void anInvalidKafkaVariableNamesTheVariable() {
    var exit =
        run(
            Map.of("KAFKA_PROCESSING_GUARANTEE", "exactly_once"),
            "run",
            "--bootstrap-servers",
            "localhost:9092");

    assertThat(exit).isEqualTo(2);
    assertThat(errorLines())
        .containsExactly(
            "prebuilds: processing.guarantee: \"exactly_once\" is not supported; use one of exactly_once_v2, at_least_once (from environment variable KAFKA_PROCESSING_GUARANTEE)");
  }

  @Test
  void anUnknownSettingOfOursInTheFileNamesTheFile() throws Exception {
    var file = directory.resolve("app.properties");
    Files.writeString(file, "bootstrap.servers=localhost:9092\nprebuilds.htp.port=8080\n");

    assertThat(run(Map.of(), "run", "--config", file.toString())).isEqualTo(2);
    assertThat(errorLines())
        .containsExactly("prebuilds: prebuilds.htp.port: unknown setting (from file " + file + ")");
  }

  @Test
  void aDurationBelowItsMinimumSaysTheRange() {
    var exit =
        run(
            Map.of(),
            "run",
            "--bootstrap-servers",
            "localhost:9092",
            "--set",
            "prebuilds.reconcile.command-timeout-seconds=0");

    assertThat(exit).isEqualTo(2);
    assertThat(errorLines())
        .containsExactly(
            "prebuilds: prebuilds.reconcile.command-timeout-seconds: 0 is out of range; it must be between 1 and 2147483647 (from flag --set prebuilds.reconcile.command-timeout-seconds)");
  }

  @Test
  void aBadKafkaPassThroughValueFailsAtStartOnOneLine() throws Exception {
    var file = directory.resolve("app.properties");
    Files.writeString(file, "bootstrap.servers=localhost:9092\nmax.poll.records=many\n");

    assertThat(run(Map.of(), "run", "--config", file.toString())).isEqualTo(2);
    assertThat(errorLines()).hasSize(1);
    assertThat(errorLines().get(0))
        .startsWith("prebuilds: invalid Kafka setting:")
        .contains("max.poll.records")
        .contains("many");
  }

  @Test
  void aConfigFileThatCannotBeReadIsAConfigError() throws Exception {
    var notAFile = Files.createDirectories(directory.resolve("app.properties"));

    assertThat(run(Map.of(), "run", "--config", notAFile.toString())).isEqualTo(2);
    assertThat(errorLines()).hasSize(1);
    assertThat(errorLines().get(0))
        .startsWith("prebuilds: config file " + notAFile + ": cannot be read:");
  }

  @Test
  void kubernetesServiceLinksAreIgnoredWhileARealErrorIsStillReported() {
    var environment =
        Map.of(
            "KAFKA_PORT", "tcp://10.0.0.1:9092",
            "KAFKA_PORT_9092_TCP", "tcp://10.0.0.1:9092",
            "KAFKA_PORT_9092_TCP_PROTO", "tcp",
            "KAFKA_SERVICE_PORT_BROKER", "9092",
            "PREBUILDS_SERVICE_HOST", "10.0.0.2",
            "PREBUILDS_PORT_8080_TCP_PORT", "8080");

    assertThat(run(environment, "run")).isEqualTo(2);
    assertThat(errorLines())
        .containsExactly(
            "prebuilds: bootstrap.servers: required; set it in the config file, with KAFKA_BOOTSTRAP_SERVERS or with --set bootstrap.servers=...");
  }
}
