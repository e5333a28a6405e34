package io.prebuilds.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams client: typed settings we validate, plus every other Kafka setting the operator
 * gave ({@code clientSettings}, e.g. SASL/TLS), passed through with values unchanged.
 */
public record StreamsSettings(
    String applicationId,
    String bootstrapServers,
    Path stateDir,
    ProcessingGuarantee processingGuarantee,
    Duration commitInterval,
    int standbyReplicas,
    Map<String, String> clientSettings) {

  /**
   * The producers' {@code compression.type} unless the operator sets one (see {@link #properties}).
   */
  public static final String DEFAULT_COMPRESSION_TYPE = "snappy";

  /**
   * Tasks never wait for data on an empty input partition ({@code max.task.idle.ms=-1}) unless the
   * operator sets otherwise (see {@link #properties}).
   */
  public static final String DEFAULT_MAX_TASK_IDLE_MS =
      Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);

  /**
   * The main consumer's {@code max.partition.fetch.bytes} unless the operator sets one, with or
   * without a consumer prefix (see {@link #properties}).
   */
  public static final String DEFAULT_MAIN_CONSUMER_FETCH_BYTES = "262144";

  private static final List<String> FETCH_BYTES_NAMES =
      List.of(
          ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
          StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
          StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG));

  public StreamsSettings {
    clientSettings = Map.copyOf(clientSettings);
  }

  /**
   * The properties for {@code new KafkaStreams(topology, properties)}. Internal topics get {@code
   * replicationFactor} unless {@code replication.factor} was set, and every store and internal
   * topic must be named explicitly unless the operator turned that check off. The processing
   * exception handler also covers global stores: Kafka recommends it at every start, and it is the
   * default from Kafka 5.0 on, when the (hence deprecated) setting goes away. Producers compress
   * with snappy unless told otherwise: stored presets repeat most of their bytes from one to the
   * next, and in a drain measured side by side compression (lz4) made the changelog 5 times smaller
   * and the drain faster, not slower (docs/benchmarks.md, "Compressed changelogs"). Snappy rather
   * than lz4 because a 20 ms commit closes every batch it opened, so most batches hold a few
   * records, and Kafka's lz4 stream allocates 128 KiB of buffers for every batch: a batch of 1-4
   * stored presets cost 28-49 µs with lz4 and 4-11 µs with snappy, compressed as well
   * (docs/benchmarks.md, "Snappy, not lz4"). Task idling is off: a reconciler task reads seven
   * topics, most of them quiet, and with idling on Kafka Streams 4.3 formats a log line for every
   * empty partition on every record it considers, whatever the log level: 13 % of the stream
   * thread's samples in a drain, and turning it off saved 13-36 % of the stream thread's CPU side
   * by side (docs/benchmarks.md, "Task idling off"). No decision depends on the order of records
   * across topics: each event carries what orders it (build numbers, deadlines, ids). The main
   * consumer fetches at most 256 KiB per partition instead of 1 MiB: a claim fetched together with
   * a megabyte of build events from every other partition waits until the stream thread has worked
   * through them, seconds while catching up on a backlog; with 256 KiB it waited five to six times
   * less, for catch-ups 8-15 % longer (64 KiB: 20-30 times less, but 25-75 % longer;
   * docs/benchmarks.md, "Claims behind the fetch"). Restoration keeps Kafka's default.
   */
  @SuppressWarnings("deprecation")
  public Properties properties(short replicationFactor) {
    var properties = new Properties();
    properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(replicationFactor));
    properties.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
    properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, DEFAULT_COMPRESSION_TYPE);
    properties.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, DEFAULT_MAX_TASK_IDLE_MS);
    if (FETCH_BYTES_NAMES.stream().noneMatch(clientSettings::containsKey)) {
      properties.put(
          StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
          DEFAULT_MAIN_CONSUMER_FETCH_BYTES);
    }
    properties.putAll(clientSettings);
    properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee.configValue());
    properties.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitInterval.toMillis()));
    properties.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(standbyReplicas));
    return properties;
  }

  /**
   * Properties for an admin client on the same cluster (topic creation and checks): the bootstrap
   * servers, every admin client setting given (security included) and {@code admin.}-prefixed ones.
   */
  public Properties adminProperties() {
    var names = AdminClientConfig.configNames();
    var properties = new Properties();
    clientSettings.forEach(
        (key, value) -> {
          if (names.contains(key)) {
            properties.put(key, value);
          }
        });
    clientSettings.forEach(
        (key, value) -> {
          if (key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
            properties.put(key.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), value);
          }
        });
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return properties;
  }

  /** Lists pass-through settings with secrets (passwords, JAAS, keys) masked. */
  @Override
  public String toString() {
    var shown = new TreeMap<String, String>();
    clientSettings.forEach((key, value) -> shown.put(key, isSecret(key) ? "***" : value));
    return "StreamsSettings[applicationId=%s, bootstrapServers=%s, stateDir=%s, processingGuarantee=%s, commitInterval=%s, standbyReplicas=%d, clientSettings=%s]"
        .formatted(
            applicationId,
            bootstrapServers,
            stateDir,
            processingGuarantee,
            commitInterval,
            standbyReplicas,
            shown);
  }

  static boolean isSecret(String key) {
    var lower = key.toLowerCase(Locale.ROOT);
    return lower.contains("password")
        || lower.contains("jaas")
        || lower.contains("secret")
        || lower.contains("token")
        || lower.endsWith(".key")
        || lower.contains("credentials");
  }
}
