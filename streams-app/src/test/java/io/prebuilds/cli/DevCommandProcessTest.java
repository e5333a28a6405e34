package io.prebuilds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.prebuilds.runtime.demo.DemoTemplates;

/**
 * {@code prebuilds dev} as a separate process, the way a person runs it: it starts a broker that
 * clients can use, serves HTTP, becomes ready, and the demo's pool shows up in the PostgreSQL read
 * model; a SIGTERM (what Kubernetes sends; Ctrl-C's SIGINT runs the same shutdown) stops it cleanly
 * within the shutdown timeout.
 */
class DevCommandProcessTest {
  @TempDir Path dataDir;

  private final StringBuffer output = new StringBuffer();
  private Thread outputReader;

  @Test
  void startsEverythingFillsThePoolAndStopsCleanlyOnSigterm() throws Exception {
    var kafkaPort = freePort();
    var httpPort = freePort();
    var postgresPort = freePort();
    var process = start(kafkaPort, httpPort, postgresPort);
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> output.toString().contains("Press Ctrl-C to stop."));
      assertThat(output.toString())
          .contains("Kafka bootstrap:  localhost:" + kafkaPort)
          .contains("http://127.0.0.1:" + httpPort + "/metrics")
          .containsPattern("Admin token: +[0-9a-f]{32}")
          .contains(
              "PostgreSQL:       postgresql://postgres@localhost:" + postgresPort + "/prebuilds");

      var health = get(URI.create("http://127.0.0.1:" + httpPort + "/healthz"));
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(get(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).body())
          .contains("jvm_memory_used_bytes");
      try (var admin = Admin.create(Map.of("bootstrap.servers", "localhost:" + kafkaPort))) {
        admin.createTopics(List.of(new NewTopic("dev.check", 1, (short) 1))).all().get();
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> assertThat(admin.listTopics().names().get()).contains("dev.check"));
      }

      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  get(URI.create("http://127.0.0.1:" + httpPort + "/readyz")).statusCode() == 200);
      var jdbcUrl = "jdbc:postgresql://localhost:" + postgresPort + "/prebuilds?user=postgres";
      await()
          .atMost(Duration.ofSeconds(120))
          .ignoreExceptions()
          .until(() -> eligible(jdbcUrl, DemoTemplates.SMALL_PRESET) > 0);

      // SIGTERM; unlike Process.destroy(), the handle's destroy leaves our end of stdout open
      process.toHandle().destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(143);
      outputReader.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(output.toString())
          .contains("dev Kafka broker stopped")
          .contains("prebuilds-streams dev stopped");
    } finally {
      process.destroyForcibly();
    }
  }

  /** The small demo preset's eligible prebuilds as the read model has them. */
  private static int eligible(String jdbcUrl, String presetId) throws Exception {
    try (var connection = DriverManager.getConnection(jdbcUrl);
        var query =
            connection.prepareStatement(
                "SELECT eligible FROM prebuilds.preset_state WHERE preset_id = ?")) {
      query.setString(1, presetId);
      try (var rows = query.executeQuery()) {
        return rows.next() ? rows.getInt(1) : 0;
      }
    }
  }

  private Process start(int kafkaPort, int httpPort, int postgresPort) throws Exception {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var process =
        new ProcessBuilder(
                java,
                "-Xmx768m",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "dev",
                "--port",
                Integer.toString(kafkaPort),
                "--http-port",
                Integer.toString(httpPort),
                "--postgres-port",
                Integer.toString(postgresPort),
                "--data-dir",
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    outputReader =
        new Thread(
            () -> {
              try (var lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(line -> output.append(line).append('\n'));
              } catch (java.io.IOException e) {
                output.append("(output closed: ").append(e.getMessage()).append(")\n");
              }
            },
            "dev-output");
    outputReader.setDaemon(true);
    outputReader.start();
    assertThat(Files.isDirectory(dataDir)).isTrue();
    return process;
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
