package io.prebuilds.connect;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect worker (distributed mode, a group of one) in this JVM, for {@code dev} and the
 * tests: the same runtime an operator deploys, with this sink found on the classpath through its
 * {@code META-INF/services} entry ({@code plugin.discovery=service_load}, which starts in under a
 * second instead of scanning). It needs {@code org.apache.kafka:connect-runtime} on the classpath,
 * which this module only has at compile time.
 *
 * <pre>{@code
 * try (var worker = EmbeddedSinkWorker.startWithReadModelSink(bootstrap, jdbcUrl)) { ... }
 * }</pre>
 */
public final class EmbeddedSinkWorker implements AutoCloseable {

  /** The connector name {@link #startWithReadModelSink} uses. */
  public static final String READ_MODEL_SINK = "prebuilds-postgres-sink";

  /** Where the sink sends records it can never write. */
  public static final String DEAD_LETTER_TOPIC = "prebuilds.read-model-dlq.v1";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedSinkWorker.class);
  private static final long TIMEOUT_SECONDS = 60;

  /** The name Kafka Connect gives the shutdown hook it registers ({@code Connect.start}). */
  private static final String CONNECT_SHUTDOWN_HOOK = "connect-shutdown-hook";

  private final Connect<DistributedHerder> connect;

  private EmbeddedSinkWorker(Connect<DistributedHerder> connect) {
    this.connect = connect;
  }

  /**
   * Starts a worker against {@code bootstrapServers} and waits until it serves requests. Its
   * internal topics have replication factor 1 (a single dev or test broker); {@code overrides}
   * replace any worker setting.
   */
  public static EmbeddedSinkWorker start(String bootstrapServers, Map<String, String> overrides) {
    Map<String, String> properties = new HashMap<>();
    properties.put("bootstrap.servers", bootstrapServers);
    properties.put("group.id", "prebuilds-connect");
    properties.put("config.storage.topic", "prebuilds-connect-configs");
    properties.put("offset.storage.topic", "prebuilds-connect-offsets");
    properties.put("status.storage.topic", "prebuilds-connect-status");
    properties.put("config.storage.replication.factor", "1");
    properties.put("offset.storage.replication.factor", "1");
    properties.put("offset.storage.partitions", "1");
    properties.put("status.storage.replication.factor", "1");
    properties.put("status.storage.partitions", "1");
    properties.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    properties.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    properties.put("listeners", "http://127.0.0.1:0");
    properties.put("plugin.discovery", "service_load");
    properties.put("connector.client.config.override.policy", "All");
    properties.put("offset.flush.interval.ms", "1000");
    properties.putAll(overrides);
    Connect<DistributedHerder> connect = startWithoutItsShutdownHook(properties);
    var worker = new EmbeddedSinkWorker(connect);
    try {
      var ready = new FutureCallback<Void>();
      connect.herder().healthCheck(ready);
      await(ready);
    } catch (RuntimeException e) {
      worker.close();
      throw e;
    }
    log.atInfo().addKeyValue("rest", worker.restUrl()).log("Connect worker started");
    return worker;
  }

  /**
   * Kafka Connect registers a shutdown hook that stops the worker when the JVM exits. In our
   * process the worker has an owner that stops it in order ({@code dev}: after Kafka Streams has
   * committed, so the sink sees the last preset state); the hook raced that stop on Ctrl-C, and the
   * task's graceful stop failed with interrupted clients. Only Connect's own hook is left out, and
   * only while this thread starts the worker.
   */
  private static Connect<DistributedHerder> startWithoutItsShutdownHook(
      Map<String, String> properties) {
    Exit.setShutdownHookAdder(
        (name, hook) -> {
          if (!CONNECT_SHUTDOWN_HOOK.equals(name)) {
            Runtime.getRuntime().addShutdownHook(new Thread(hook, name));
          }
        });
    try {
      return new ConnectDistributed().startConnect(properties);
    } finally {
      Exit.resetShutdownHookAdder();
    }
  }

  /**
   * Starts a worker running the read-model sink ({@link #READ_MODEL_SINK}) with the settings of
   * {@code deploy/connect/prebuilds-postgres-sink.json}, writing to {@code jdbcUrl} (user and
   * password in the URL).
   */
  public static EmbeddedSinkWorker startWithReadModelSink(String bootstrapServers, String jdbcUrl) {
    var worker = start(bootstrapServers, Map.of());
    try {
      worker.putConnector(READ_MODEL_SINK, readModelSinkConfig(jdbcUrl));
    } catch (RuntimeException e) {
      worker.close();
      throw e;
    }
    return worker;
  }

  /**
   * The read-model sink's connector settings for a single-broker cluster: those of the example in
   * {@code deploy/connect/} with the dead-letter topic's replication factor 1.
   */
  public static Map<String, String> readModelSinkConfig(String jdbcUrl) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", PostgresSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put(
        "topics",
        "prebuilds.preset-state.v1,prebuilds.notifications.v1,prebuilds.claim-results.v1");
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("consumer.override.isolation.level", "read_committed");
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", DEAD_LETTER_TOPIC);
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    config.put("errors.log.enable", "true");
    config.put(PostgresSinkConfig.CONNECTION_URL, jdbcUrl);
    config.put(PostgresSinkConfig.POOL_SIZE, "4");
    return config;
  }

  /** Creates or replaces a connector and waits until the worker accepted it. */
  public void putConnector(String name, Map<String, String> config) {
    Map<String, String> named = new HashMap<>(config);
    named.put("name", name);
    var done = new FutureCallback<Herder.Created<?>>();
    connect
        .herder()
        .putConnectorConfig(
            name, named, true, (error, created) -> done.onCompletion(error, created));
    await(done);
  }

  /** Deletes a connector and waits until its tasks are gone. */
  public void deleteConnector(String name) {
    var done = new FutureCallback<Object>();
    connect
        .herder()
        .deleteConnectorConfig(name, (error, deleted) -> done.onCompletion(error, deleted));
    await(done);
  }

  /** The worker's REST API, e.g. {@code http://127.0.0.1:40123/}. */
  public URI restUrl() {
    return connect.rest().serverUrl();
  }

  DistributedHerder herder() {
    return connect.herder();
  }

  @Override
  public void close() {
    connect.stop();
  }

  private static <T> T await(FutureCallback<T> callback) {
    try {
      return callback.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("interrupted while waiting for the Connect worker", e);
    } catch (ExecutionException e) {
      throw new ConnectException(
          "the Connect worker refused: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new ConnectException(
          "the Connect worker did not answer within " + TIMEOUT_SECONDS + " s", e);
    }
  }
}
