package io.prebuilds.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

import io.prebuilds.topology.AdmissionSettings;

/**
 * Turns {@link ConfigSources} into a validated {@link AppConfig}. Precedence: defaults &lt;
 * properties file &lt; environment &lt; flags. Pure: the environment comes in as a map.
 *
 * <p>Environment variables: {@code PREBUILDS_*} set our settings ({@code PREBUILDS_HTTP_PORT} is
 * {@code prebuilds.http.port}); {@code KAFKA_*} set Kafka settings when the rest names one ({@code
 * KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}, value unchanged). Any other variable with
 * either prefix, such as a Kubernetes service link ({@code KAFKA_PORT}, {@code
 * PREBUILDS_SERVICE_HOST}), is ignored and reported. In the file and in flags an unknown {@code
 * prebuilds.*} key is an error (a typo), and any other key passes through to Kafka.
 */
public final class ConfigLoader {
  private static final String APP_ENV_PREFIX = "PREBUILDS_";
  private static final String KAFKA_ENV_PREFIX = "KAFKA_";

  private ConfigLoader() {}

  public static LoadedConfig load(ConfigSources sources) {
    var values = new TreeMap<String, ConfigValue>();
    for (var setting : Setting.values()) {
      setting
          .defaultValue()
          .ifPresent(value -> values.put(setting.key(), new ConfigValue(value, "default")));
    }
    putChecked(values, sources.defaults(), "default");
    sources.fileName().ifPresent(name -> putChecked(values, sources.file(), "file " + name));
    var ignored = new ArrayList<IgnoredVariable>();
    values.putAll(fromEnvironment(sources.environment(), ignored));
    sources.flags().forEach((key, value) -> checkKnown(key, value.origin()));
    values.putAll(sources.flags());
    var config = parse(values);
    validateForKafka(config);
    return new LoadedConfig(config, ignored);
  }

  /** Reads a properties file (UTF-8); a missing or unreadable file is a config error. */
  public static Map<String, String> readFile(Path file) {
    var properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), "config file %s: not found".formatted(file));
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(
          file.toString(), "config file %s: cannot be read: %s".formatted(file, e.getMessage()));
    }
    var values = new TreeMap<String, String>();
    properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
    return values;
  }

  private static void putChecked(
      Map<String, ConfigValue> values, Map<String, String> layer, String origin) {
    layer.forEach(
        (key, value) -> {
          checkKnown(key, origin);
          values.put(key, new ConfigValue(value, origin));
        });
  }

  private static void checkKnown(String key, String origin) {
    if (key.startsWith(Setting.APP_PREFIX) && Setting.byKey(key).isEmpty()) {
      throw new ConfigException(key, "%s: unknown setting (from %s)".formatted(key, origin));
    }
  }

  private static Map<String, ConfigValue> fromEnvironment(
      Map<String, String> environment, List<IgnoredVariable> ignored) {
    var values = new TreeMap<String, ConfigValue>();
    new TreeMap<>(environment)
        .forEach(
            (name, value) -> {
              var origin = "environment variable " + name;
              if (name.startsWith(APP_ENV_PREFIX)) {
                appSettingFor(name)
                    .ifPresentOrElse(
                        key -> values.put(key, new ConfigValue(value, origin)),
                        () ->
                            ignored.add(
                                new IgnoredVariable(name, "not a prebuilds-streams setting")));
              } else if (name.startsWith(KAFKA_ENV_PREFIX)) {
                KafkaSettingNames.forEnvironmentSuffix(name.substring(KAFKA_ENV_PREFIX.length()))
                    .ifPresentOrElse(
                        key -> values.put(key, new ConfigValue(value, origin)),
                        () ->
                            ignored.add(
                                new IgnoredVariable(
                                    name, "not a Kafka client or Kafka Streams setting")));
              }
            });
    return values;
  }

  private static Optional<String> appSettingFor(String variable) {
    for (var setting : Setting.values()) {
      if (setting.isAppSetting() && setting.environmentVariable().equals(variable)) {
        return Optional.of(setting.key());
      }
    }
    return Optional.empty();
  }

  private static AppConfig parse(Map<String, ConfigValue> values) {
    var typed = new TypedValues(values);
    var streams =
        new StreamsSettings(
            typed.string(Setting.APPLICATION_ID),
            bootstrapServers(typed),
            Paths.get(typed.string(Setting.STATE_DIR)),
            typed.oneOf(Setting.PROCESSING_GUARANTEE, processingGuarantees()),
            Duration.ofMillis(typed.integer(Setting.COMMIT_INTERVAL_MS, 0, Integer.MAX_VALUE)),
            typed.integer(Setting.NUM_STANDBY_REPLICAS, 0, Integer.MAX_VALUE),
            passThrough(values));
    var topics =
        new TopicSettings(
            typed.integer(Setting.TOPIC_PARTITIONS, 1, 100_000),
            (short) typed.integer(Setting.TOPIC_REPLICATION_FACTOR, 1, Short.MAX_VALUE));
    var http =
        new HttpSettings(
            typed.string(Setting.HTTP_HOST),
            typed.integer(Setting.HTTP_PORT, 0, 65_535),
            typed.optional(Setting.ADMIN_TOKEN).map(value -> adminToken(typed, value)));
    var reconcile =
        new ReconcileSettings(
            typed.seconds(Setting.BACKOFF_INTERVAL_SECONDS, 0),
            typed.seconds(Setting.BACKOFF_LOOKBACK_SECONDS, 0),
            typed.integer(Setting.FAILURE_HARD_LIMIT, 0, Integer.MAX_VALUE),
            typed.integer(Setting.FAILED_RETENTION, 0, Integer.MAX_VALUE),
            typed.seconds(Setting.COMMAND_TIMEOUT_SECONDS, 1),
            typed.seconds(Setting.RESYNC_INTERVAL_SECONDS, 1),
            typed.integer(Setting.DUE_INDEX_MAX_PRESETS_PER_TICK, 1, Integer.MAX_VALUE),
            typed.integer(Setting.DUE_INDEX_DECISIONS_PER_SECOND, 0, Integer.MAX_VALUE),
            typed.integer(Setting.ADMISSION_BUDGET, 0, Integer.MAX_VALUE),
            capacityCaps(typed),
            typed.integer(Setting.STATE_CACHED_PRESETS, 0, Integer.MAX_VALUE),
            Duration.ofMillis(typed.integer(Setting.CLAIM_COMMIT_WITHIN_MS, 0, Integer.MAX_VALUE)));
    var threadFailures =
        new ThreadFailureLimit(
            typed.integer(Setting.STREAM_THREAD_MAX_FAILURES, 1, Integer.MAX_VALUE),
            typed.seconds(Setting.STREAM_THREAD_FAILURE_WINDOW_SECONDS, 1));
    return new AppConfig(
        streams,
        topics,
        http,
        reconcile,
        threadFailures,
        typed.seconds(Setting.SHUTDOWN_TIMEOUT_SECONDS, 1),
        typed.oneOf(Setting.REBUILD, rebuildModes()));
  }

  private static Map<String, RebuildMode> rebuildModes() {
    var choices = new LinkedHashMap<String, RebuildMode>();
    for (var mode : RebuildMode.values()) {
      choices.put(mode.configValue(), mode);
    }
    return choices;
  }

  private static Map<String, ProcessingGuarantee> processingGuarantees() {
    var choices = new LinkedHashMap<String, ProcessingGuarantee>();
    for (var guarantee : ProcessingGuarantee.values()) {
      choices.put(guarantee.configValue(), guarantee);
    }
    return choices;
  }

  private static String bootstrapServers(TypedValues typed) {
    var raw = typed.string(Setting.BOOTSTRAP_SERVERS);
    for (var server : raw.split(",")) {
      var address = server.strip();
      var colon = address.lastIndexOf(':');
      if (colon <= 0 || !isPort(address.substring(colon + 1))) {
        throw typed.invalid(
            Setting.BOOTSTRAP_SERVERS,
            "\"%s\" is not a comma-separated list of host:port".formatted(raw));
      }
    }
    return raw;
  }

  private static boolean isPort(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
      return false;
    }
    var port = Integer.parseInt(text);
    return port > 0 && port <= 65_535;
  }

  private static Map<String, Integer> capacityCaps(TypedValues typed) {
    var raw = typed.optional(Setting.CAPACITY_CAPS);
    if (raw.isEmpty()) {
      return Map.of();
    }
    try {
      return AdmissionSettings.parseCaps(raw.get().value());
    } catch (IllegalArgumentException e) {
      throw typed.invalid(Setting.CAPACITY_CAPS, e.getMessage());
    }
  }

  private static AdminToken adminToken(TypedValues typed, ConfigValue value) {
    var token = value.value().strip();
    if (token.length() < 16 || token.chars().anyMatch(Character::isWhitespace)) {
      throw typed.invalid(Setting.ADMIN_TOKEN, "must be at least 16 characters without whitespace");
    }
    return new AdminToken(token);
  }

  /** Every setting that is not ours and not typed goes to Kafka as given. */
  private static Map<String, String> passThrough(Map<String, ConfigValue> values) {
    var kafka = new TreeMap<String, String>();
    values.forEach(
        (key, value) -> {
          if (!key.startsWith(Setting.APP_PREFIX) && Setting.byKey(key).isEmpty()) {
            kafka.put(key, value.value());
          }
        });
    return kafka;
  }

  /**
   * Lets Kafka check the final properties the way its clients will (Streams, then the consumer,
   * producer and admin settings Streams derives), so a bad pass-through value fails at start.
   */
  private static void validateForKafka(AppConfig config) {
    try {
      var streams = new StreamsConfig(config.streamsProperties());
      var consumer = new HashMap<>(streams.getMainConsumerConfigs("validate", "validate", 0));
      consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      new ConsumerConfig(consumer);
      var producer = new HashMap<>(streams.getProducerConfigs("validate"));
      producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      new ProducerConfig(producer);
      new AdminClientConfig(streams.getAdminConfigs("validate"));
    } catch (org.apache.kafka.common.config.ConfigException e) {
      throw new ConfigException("kafka", "invalid Kafka setting: " + e.getMessage());
    }
  }
}
