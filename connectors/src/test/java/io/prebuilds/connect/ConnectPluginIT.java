package io.prebuilds.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin as an operator installs it: the {@code connect-plugin} jar alone in a
 * directory on {@code plugin.path} of a Connect worker in its own JVM, whose classpath has Kafka
 * Connect but none of the sink's classes or libraries. The connector is created through the REST
 * API with the example config.
 */
class ConnectPluginIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String CONNECTOR = "prebuilds-postgres-sink";
  private static final List<String> NOT_ON_THE_WORKER_CLASSPATH =
      List.of(
          "target/classes",
          "target/test-classes",
          "connectors-",
          "HikariCP",
          "postgresql-",
          "flyway-",
          "checker-qual");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theWorkerLoadsThePluginFromPluginPathAndTheSinkWrites(@TempDir Path directory)
      throws Exception {
    Path pluginJar = Path.of(System.getProperty("connect.plugin.jar"));
    Path plugins = Files.createDirectories(directory.resolve("plugins/prebuilds-postgres-sink"));
    Files.copy(pluginJar, plugins.resolve(pluginJar.getFileName()));

    try (KafkaClusterTestKit broker = Infrastructure.startBroker();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        var producer =
            new KafkaProducer<String, String>(
                Infrastructure.producerProperties(broker.bootstrapServers()))) {
      TestDatabase database = Infrastructure.createDatabase(postgres, "plugin");
      List<String> topics =
          List.of(
              "prebuilds.preset-state.v1",
              "prebuilds.notifications.v1",
              "prebuilds.claim-results.v1");
      admin
          .createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList())
          .all()
          .get();
      int port = freePort();
      Process worker = startWorker(directory, broker.bootstrapServers(), port);
      try {
        URI rest = URI.create("http://127.0.0.1:" + port + "/");
        await()
            .atMost(TIMEOUT)
            .ignoreExceptions()
            .until(() -> get(rest.resolve("connector-plugins")).contains("PostgresSinkConnector"));
        assertThat(get(rest.resolve("connector-plugins")))
            .contains("\"class\":\"io.prebuilds.connect.PostgresSinkConnector\"")
            .contains("\"version\":\"" + new PostgresSinkConnector().version() + "\"");

        Map<String, String> config = new HashMap<>(TestSink.exampleConfig());
        config.remove("connection.user");
        config.remove("connection.password");
        config.put("connection.url", database.jdbcUrl());
        config.put("tasks.max", "1");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        String body =
            new ObjectMapper().writeValueAsString(Map.of("name", CONNECTOR, "config", config));
        HttpResponse<String> created =
            http.send(
                HttpRequest.newBuilder(rest.resolve("connectors"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        producer
            .send(
                new ProducerRecord<>(
                    topics.get(0), "p-1", Events.presetState("p-1", "normal", 2, 1)))
            .get();
        producer
            .send(new ProducerRecord<>(topics.get(1), "n-1", Events.notification("n-1", "p-1")))
            .get();
        producer
            .send(new ProducerRecord<>(topics.get(2), "c-1", Events.claimed("c-1", "p-1")))
            .get();

        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    database.count("preset_state") == 1
                        && database.count("notification") == 1
                        && database.count("claim_result") == 1);
        assertThat(get(rest.resolve("connectors/" + CONNECTOR + "/status")))
            .doesNotContain("FAILED");
      } finally {
        worker.destroy();
        worker.waitFor();
      }
    }
  }

  /** A Connect worker JVM with the test classpath minus the sink and its libraries. */
  private static Process startWorker(Path directory, String bootstrapServers, int port)
      throws IOException {
    var properties = new Properties();
    properties.put("bootstrap.servers", bootstrapServers);
    properties.put("group.id", "plugin-it");
    properties.put("config.storage.topic", "plugin-it-configs");
    properties.put("offset.storage.topic", "plugin-it-offsets");
    properties.put("status.storage.topic", "plugin-it-status");
    properties.put("config.storage.replication.factor", "1");
    properties.put("offset.storage.replication.factor", "1");
    properties.put("status.storage.replication.factor", "1");
    properties.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    properties.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    properties.put("listeners", "http://127.0.0.1:" + port);
    properties.put("plugin.path", directory.resolve("plugins").toString());
    properties.put("plugin.discovery", "service_load");
    Path workerProperties = directory.resolve("worker.properties");
    try (var out = Files.newBufferedWriter(workerProperties)) {
      properties.store(out, "ConnectPluginIT worker");
    }
    String classpath =
        Arrays.stream(testClasspath().split(File.pathSeparator))
            .filter(entry -> NOT_ON_THE_WORKER_CLASSPATH.stream().noneMatch(entry::contains))
            .collect(Collectors.joining(File.pathSeparator));
    Path log = Path.of("target", "connect-plugin-it-worker.log");
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-Dlogback.configurationFile="
                + Path.of("src", "test", "resources", "logback-test.xml").toAbsolutePath(),
            "-cp",
            classpath,
            "org.apache.kafka.connect.cli.ConnectDistributed",
            workerProperties.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** Failsafe hands the real classpath over in this property (java.class.path is a booter jar). */
  private static String testClasspath() {
    String classpath = System.getProperty("surefire.test.class.path");
    return classpath != null ? classpath : System.getProperty("java.class.path");
  }

  private String get(URI uri) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
