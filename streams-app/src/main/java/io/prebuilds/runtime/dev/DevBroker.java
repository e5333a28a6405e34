package io.prebuilds.runtime.dev;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) in this JVM, for {@code dev}. It
 * listens on a fixed port, keeps its data in {@code <dataDir>/kafka} (so a restart finds its topics
 * and offsets again; {@code fresh} wipes them first) and never creates topics by itself, like a
 * production cluster. The single-node settings (replication factor 1 for the offsets, transaction
 * and share-state topics) are mandatory: without them consumer groups and transactions silently get
 * nothing. The offsets and transaction topics get 8 partitions instead of 50, for a quick first
 * start.
 */
public final class DevBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevBroker.class);
  private static final int NODE_ID = 1;

  /**
   * @param host the host clients use (and the broker binds to)
   * @param port the client port; the controller takes a free port of its own at each start
   * @param dataDir the dev data directory; the broker uses {@code <dataDir>/kafka}
   * @param fresh wipe the broker's data before starting
   */
  public record Settings(String host, int port, Path dataDir, boolean fresh) {}

  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private DevBroker(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /** Formats the storage if it is new, starts the broker and returns once it serves clients. */
  public static DevBroker start(Settings settings) throws IOException {
    requireFree(settings.host(), settings.port());
    var logDir = settings.dataDir().resolve("kafka").toAbsolutePath();
    if (settings.fresh()) {
      deleteRecursively(logDir);
    }
    Files.createDirectories(logDir);
    var properties = serverProperties(settings, logDir, freePort(settings.host()));
    var propertiesFile = logDir.resolve("server.properties");
    try (Writer writer = Files.newBufferedWriter(propertiesFile, StandardCharsets.UTF_8)) {
      properties.store(writer, "written by prebuilds dev at each start");
    }
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      format(propertiesFile);
    }
    var server = new KafkaRaftServer(KafkaConfig.fromProps(properties), Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      server.shutdown();
      throw e;
    }
    var bootstrap = settings.host() + ":" + settings.port();
    log.atInfo()
        .addKeyValue("bootstrapServers", bootstrap)
        .addKeyValue("dataDir", logDir)
        .log("dev Kafka broker started");
    return new DevBroker(server, bootstrap);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    log.atInfo().addKeyValue("bootstrapServers", bootstrapServers).log("dev Kafka broker stopped");
  }

  static Properties serverProperties(Settings settings, Path logDir, int controllerPort) {
    var host = settings.host();
    var properties = new Properties();
    properties.put("process.roles", "broker,controller");
    properties.put("node.id", Integer.toString(NODE_ID));
    properties.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
    properties.put(
        "listeners",
        "PLAINTEXT://"
            + host
            + ":"
            + settings.port()
            + ",CONTROLLER://"
            + host
            + ":"
            + controllerPort);
    properties.put("advertised.listeners", "PLAINTEXT://" + host + ":" + settings.port());
    properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    properties.put("controller.listener.names", "CONTROLLER");
    properties.put("inter.broker.listener.name", "PLAINTEXT");
    properties.put("log.dirs", logDir.toString());
    properties.put("auto.create.topics.enable", "false");
    properties.put("num.partitions", "1");
    properties.put("offsets.topic.replication.factor", "1");
    properties.put("offsets.topic.num.partitions", "8");
    properties.put("transaction.state.log.num.partitions", "8");
    properties.put("transaction.state.log.replication.factor", "1");
    properties.put("transaction.state.log.min.isr", "1");
    properties.put("share.coordinator.state.topic.replication.factor", "1");
    properties.put("share.coordinator.state.topic.min.isr", "1");
    properties.put("group.initial.rebalance.delay.ms", "0");
    return properties;
  }

  private static void format(Path propertiesFile) {
    var output = new ByteArrayOutputStream();
    int exitCode;
    try (var printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      exitCode =
          StorageTool.execute(
              new String[] {
                "format",
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--config",
                propertiesFile.toString(),
                "--ignore-formatted"
              },
              printer);
    }
    var message = output.toString(StandardCharsets.UTF_8).strip();
    if (exitCode != 0) {
      throw new IllegalStateException("formatting Kafka storage failed: " + message);
    }
    log.atDebug().addKeyValue("output", message).log("formatted dev Kafka storage");
  }

  private static void requireFree(String host, int port) throws IOException {
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      throw new IOException(
          "port %d on %s is in use (another Kafka?); choose another with --port"
              .formatted(port, host),
          e);
    }
  }

  private static int freePort(String host) throws IOException {
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
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
