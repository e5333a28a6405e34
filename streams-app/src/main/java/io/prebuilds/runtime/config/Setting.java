package io.prebuilds.runtime.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.prebuilds.topology.TopologySettings;

/**
 * Every setting the service reads with a type and a default. Settings Kafka already names keep
 * Kafka's name (so a properties file reads like any Kafka client's, and {@code KAFKA_*} variables
 * set them); settings of our own start with {@code prebuilds.} and are set by {@code PREBUILDS_*}
 * variables. Any other Kafka client or Streams setting passes through untyped.
 */
public enum Setting {
  BOOTSTRAP_SERVERS("bootstrap.servers", null),
  APPLICATION_ID("application.id", "prebuilds-streams"),
  STATE_DIR("state.dir", null),
  PROCESSING_GUARANTEE("processing.guarantee", "exactly_once_v2"),
  COMMIT_INTERVAL_MS("commit.interval.ms", "100"),
  NUM_STANDBY_REPLICAS("num.standby.replicas", "1"),

  TOPIC_PARTITIONS("prebuilds.topics.partitions", "8"),
  TOPIC_REPLICATION_FACTOR("prebuilds.topics.replication-factor", "3"),

  HTTP_HOST("prebuilds.http.host", "0.0.0.0"),
  HTTP_PORT("prebuilds.http.port", "8080"),
  ADMIN_TOKEN("prebuilds.admin.token", null),

  DUE_INDEX_MAX_PRESETS_PER_TICK("prebuilds.due-index.max-presets-per-tick", "500"),
  DUE_INDEX_DECISIONS_PER_SECOND(
      "prebuilds.due-index.decisions-per-second",
      String.valueOf(TopologySettings.DEFAULT_DECISIONS_PER_SECOND)),
  BACKOFF_INTERVAL_SECONDS("prebuilds.reconcile.backoff-interval-seconds", "15"),
  BACKOFF_LOOKBACK_SECONDS("prebuilds.reconcile.backoff-lookback-seconds", "3600"),
  FAILURE_HARD_LIMIT("prebuilds.reconcile.failure-hard-limit", "3"),
  FAILED_RETENTION("prebuilds.reconcile.failed-retention", "1"),
  COMMAND_TIMEOUT_SECONDS("prebuilds.reconcile.command-timeout-seconds", "1800"),
  RESYNC_INTERVAL_SECONDS("prebuilds.reconcile.resync-interval-seconds", "3600"),
  ADMISSION_BUDGET("prebuilds.admission.budget", "10"),
  CAPACITY_CAPS("prebuilds.capacity.caps", null),

  REBUILD("prebuilds.rebuild", "auto"),
  STATE_CACHED_PRESETS(
      "prebuilds.state.cached-presets-per-task",
      String.valueOf(TopologySettings.DEFAULT_CACHED_PRESETS)),
  CLAIM_COMMIT_WITHIN_MS(
      "prebuilds.claims.commit-within-ms",
      String.valueOf(TopologySettings.DEFAULT_CLAIM_COMMIT_WITHIN.toMillis())),

  STREAM_THREAD_MAX_FAILURES("prebuilds.stream-threads.max-failures", "3"),
  STREAM_THREAD_FAILURE_WINDOW_SECONDS("prebuilds.stream-threads.failure-window-seconds", "600"),
  SHUTDOWN_TIMEOUT_SECONDS("prebuilds.shutdown.timeout-seconds", "30");

  /** The prefix of every setting of our own. */
  public static final String APP_PREFIX = "prebuilds.";

  private static final Map<String, Setting> BY_KEY =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(s -> s.key, Function.identity()));

  private final String key;
  private final String defaultValue;

  Setting(String key, String defaultValue) {
    this.key = key;
    this.defaultValue = defaultValue;
  }

  public String key() {
    return key;
  }

  /** The built-in default; empty when the setting is required or derived at start-up. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** True for settings of our own ({@code prebuilds.*}), false for the ones Kafka names. */
  public boolean isAppSetting() {
    return key.startsWith(APP_PREFIX);
  }

  /**
   * The environment variable that sets it: {@code PREBUILDS_HTTP_PORT}, {@code KAFKA_STATE_DIR}.
   */
  public String environmentVariable() {
    return isAppSetting() ? environmentName(key) : "KAFKA_" + environmentName(key);
  }

  static Optional<Setting> byKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  /**
   * {@code prebuilds.http.port} and {@code a.b-c} become {@code PREBUILDS_HTTP_PORT}, {@code
   * A_B_C}.
   */
  static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
