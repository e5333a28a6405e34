package io.prebuilds.runtime.dev;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.connect.EmbeddedSinkWorker;

/**
 * The read model for {@code dev}: PostgreSQL (embedded, data in {@code <dataDir>/postgres}, kept
 * across restarts like the broker's, since the sink's offsets live in Kafka) and a Kafka Connect
 * worker in this JVM running our sink into database {@value #DATABASE}. People query it with any
 * PostgreSQL client at {@link #connectionString()}.
 */
public final class DevReadModel implements AutoCloseable {
  /** The database the sink writes to (tables in schema {@code prebuilds}). */
  public static final String DATABASE = "prebuilds";

  private static final Logger log = LoggerFactory.getLogger(DevReadModel.class);

  /**
   * @param dataDir the dev data directory; PostgreSQL uses {@code <dataDir>/postgres}
   * @param port PostgreSQL's port on localhost
   * @param fresh wipe PostgreSQL's data before starting
   */
  public record Settings(Path dataDir, int port, boolean fresh) {}

  private final EmbeddedPostgres postgres;
  private final EmbeddedSinkWorker worker;

  private DevReadModel(EmbeddedPostgres postgres, EmbeddedSinkWorker worker) {
    this.postgres = postgres;
    this.worker = worker;
  }

  /** Starts PostgreSQL, creates the database if new, and starts Connect with the sink. */
  public static DevReadModel start(Settings settings, String bootstrapServers) throws IOException {
    var directory = settings.dataDir().resolve("postgres").toAbsolutePath();
    LeftoverPostgres.stop(directory);
    requireFree(settings.port());
    if (settings.fresh()) {
      deleteRecursively(directory);
    }
    Files.createDirectories(directory);
    var postgres = startPostgres(directory, settings.port());
    try {
      createDatabase(postgres);
      var jdbcUrl =
          "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE + "?user=postgres";
      createDeadLetterTopic(bootstrapServers);
      var worker = EmbeddedSinkWorker.startWithReadModelSink(bootstrapServers, jdbcUrl);
      var readModel = new DevReadModel(postgres, worker);
      log.atInfo()
          .addKeyValue("postgres", readModel.connectionString())
          .addKeyValue("connect", worker.restUrl())
          .log("dev read model started");
      return readModel;
    } catch (RuntimeException | IOException e) {
      postgres.close();
      throw e;
    }
  }

  /**
   * PostgreSQL on {@code directory}, its data kept when it stops, and stopped by its owner rather
   * than by a shutdown hook of its own.
   */
  static EmbeddedPostgres startPostgres(Path directory, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(directory)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setRegisterShutdownHook(false)
        .start();
  }

  /** For {@code psql}: {@code postgresql://postgres@localhost:15432/prebuilds}. */
  public String connectionString() {
    return "postgresql://postgres@localhost:" + postgres.getPort() + "/" + DATABASE;
  }

  /** The Connect worker's REST API (connector status, e.g. {@code connectors/<name>/status}). */
  public URI connectRestUrl() {
    return worker.restUrl();
  }

  @Override
  public void close() throws IOException {
    try {
      worker.close();
    } finally {
      postgres.close();
    }
  }

  private static void createDatabase(EmbeddedPostgres postgres) throws IOException {
    try (var connection = postgres.getPostgresDatabase().getConnection();
        var exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, DATABASE);
      try (var rows = exists.executeQuery()) {
        if (rows.next()) {
          return;
        }
      }
      try (var create = connection.createStatement()) {
        create.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IOException("creating database " + DATABASE + " failed: " + e.getMessage(), e);
    }
  }

  /** The sink's dead-letter topic, made here so Connect need not (it logs that as an error). */
  private static void createDeadLetterTopic(String bootstrapServers) throws IOException {
    try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin
          .createTopics(List.of(new NewTopic(EmbeddedSinkWorker.DEAD_LETTER_TOPIC, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IOException("creating " + EmbeddedSinkWorker.DEAD_LETTER_TOPIC + " failed", e);
      }
    } catch (InterruptedException | TimeoutException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("creating " + EmbeddedSinkWorker.DEAD_LETTER_TOPIC + " failed", e);
    }
  }

  private static void requireFree(int port) throws IOException {
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("localhost", port));
    } catch (BindException e) {
      throw new IOException(
          "port %d is in use (another PostgreSQL?); choose another with --postgres-port"
              .formatted(port),
          e);
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
