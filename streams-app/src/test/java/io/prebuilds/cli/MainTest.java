package io.prebuilds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and error messages of the executable, run in-process. */
class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(Map<String, String> environment, String... args) {
    var commandLine = Main.commandLine(environment, new Components(List.of(), List.of()));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private List<String> errorLines() {
    return err.toString().lines().toList();
  }

  @Test
  void helpListsTheCommands() {
    assertThat(execute(Map.of(), "--help")).isEqualTo(0);
    assertThat(out.toString()).contains("run").contains("dev");
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(execute(Map.of())).isEqualTo(2);
    assertThat(errorLines()).containsExactly("prebuilds: missing command (see 'prebuilds --help')");
  }

  @Test
  void anUnknownOptionIsAUsageErrorOnOneLine() {
    assertThat(execute(Map.of(), "dev", "--prot", "1")).isEqualTo(2);
    assertThat(errorLines()).hasSize(1);
    assertThat(errorLines().get(0))
        .startsWith("prebuilds: Unknown option")
        .contains("--prot")
        .endsWith("(see 'prebuilds dev --help')");
  }

  @Test
  void runWithoutBootstrapServersNamesTheSetting() {
    assertThat(execute(Map.of(), "run")).isEqualTo(2);
    assertThat(errorLines())
        .containsExactly(
            "prebuilds: bootstrap.servers: required; set it in the config file, with KAFKA_BOOTSTRAP_SERVERS or with --set bootstrap.servers=...");
  }

  @Test
  void anInvalidEnvironmentValueNamesTheVariableAndUnknownKafkaVariablesAreIgnored() {
    var environment =
        Map.of(
            "KAFKA_PORT", "tcp://10.0.0.1:9092",
            "KAFKA_SERVICE_HOST", "10.0.0.1",
            "PREBUILDS_HTTP_PORT", "eighty");

    assertThat(execute(environment, "run", "--bootstrap-servers", "localhost:9092")).isEqualTo(2);
    assertThat(errorLines())
        .containsExactly(
            "prebuilds: prebuilds.http.port: \"eighty\" is not an integer (from environment variable PREBUILDS_HTTP_PORT)");
  }

  @Test
  void aMissingConfigFileIsAConfigError(@TempDir Path directory) {
    var file = directory.resolve("app.properties");

    assertThat(execute(Map.of(), "run", "--config", file.toString())).isEqualTo(2);
    assertThat(errorLines()).containsExactly("prebuilds: config file " + file + ": not found");
  }

  @Test
  void anInvalidFlagValueNamesTheFlag() {
    assertThat(execute(Map.of(), "run", "--bootstrap-servers", "kafka")).isEqualTo(2);
    assertThat(errorLines())
        .containsExactly(
            "prebuilds: bootstrap.servers: \"kafka\" is not a comma-separated list of host:port (from flag --bootstrap-servers)");
  }

  @Test
  void aPortInUseIsARuntimeFailureOnOneLine() throws Exception {
    try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var exit =
          execute(
              Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
              "run",
              "--set",
              "prebuilds.http.host=127.0.0.1",
              "--http-port",
              Integer.toString(taken.getLocalPort()));

      assertThat(exit).isEqualTo(1);
      assertThat(errorLines()).hasSize(1);
      assertThat(errorLines().get(0))
          .startsWith(
              "prebuilds: failed to start HTTP server on 127.0.0.1:" + taken.getLocalPort() + ":");
    }
  }
}
