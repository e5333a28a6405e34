package io.prebuilds.connect;

import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The sink's settings. Every key has a type, a default where one makes sense, documentation and a
 * validator, so a misconfigured connector fails Connect's validation with a message that names the
 * key instead of failing later inside a task.
 */
final class PostgresSinkConfig extends AbstractConfig {

  static final String CONNECTION_URL = "connection.url";
  static final String CONNECTION_USER = "connection.user";
  static final String CONNECTION_PASSWORD = "connection.password";
  static final String DATABASE_SCHEMA = "database.schema";
  static final String POOL_SIZE = "pool.size";
  static final String CONNECTION_TIMEOUT_MS = "connection.timeout.ms";
  static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
  static final String PRESET_STATE_TOPIC = "preset.state.topic";
  static final String NOTIFICATIONS_TOPIC = "notifications.topic";
  static final String CLAIM_RESULTS_TOPIC = "claim.results.topic";

  private static final String GROUP_DATABASE = "Database";
  private static final String GROUP_TOPICS = "Topics";
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              CONNECTION_URL,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              PostgresSinkConfig::requirePostgresUrl,
              Importance.HIGH,
              "JDBC URL of the PostgreSQL database that holds the read model, e.g."
                  + " jdbc:postgresql://db:5432/prebuilds.",
              GROUP_DATABASE,
              1,
              ConfigDef.Width.LONG,
              "JDBC URL")
          .define(
              CONNECTION_USER,
              Type.STRING,
              null,
              Importance.HIGH,
              "Database user; empty to take it from the URL.",
              GROUP_DATABASE,
              2,
              ConfigDef.Width.MEDIUM,
              "User")
          .define(
              CONNECTION_PASSWORD,
              Type.PASSWORD,
              null,
              Importance.HIGH,
              "Database password; empty to take it from the URL.",
              GROUP_DATABASE,
              3,
              ConfigDef.Width.MEDIUM,
              "Password")
          .define(
              DATABASE_SCHEMA,
              Type.STRING,
              "prebuilds",
              PostgresSinkConfig::requireIdentifier,
              Importance.MEDIUM,
              "PostgreSQL schema of the read model tables; created by the migrations if missing.",
              GROUP_DATABASE,
              4,
              ConfigDef.Width.SHORT,
              "Schema")
          .define(
              POOL_SIZE,
              Type.INT,
              4,
              ConfigDef.Range.between(1, 1000),
              Importance.MEDIUM,
              "Connections of the HikariCP pool that all tasks of this connector share within one"
                  + " worker. At most half of them (at least one) write at the same time, so"
                  + " other users of the pool keep connections.",
              GROUP_DATABASE,
              5,
              ConfigDef.Width.SHORT,
              "Pool size")
          .define(
              CONNECTION_TIMEOUT_MS,
              Type.LONG,
              5_000L,
              ConfigDef.Range.atLeast(250),
              Importance.LOW,
              "How long a write waits for a connection or a writer slot before the batch is"
                  + " retried, in milliseconds.",
              GROUP_DATABASE,
              6,
              ConfigDef.Width.SHORT,
              "Connection timeout (ms)")
          .define(
              RETRY_BACKOFF_MS,
              Type.LONG,
              1_000L,
              ConfigDef.Range.between(0, 300_000),
              Importance.LOW,
              "Pause before Connect hands a batch back after PostgreSQL was unreachable, in"
                  + " milliseconds. Such batches are retried until they are written.",
              GROUP_DATABASE,
              7,
              ConfigDef.Width.SHORT,
              "Retry backoff (ms)")
          .define(
              PRESET_STATE_TOPIC,
              Type.STRING,
              "prebuilds.preset-state.v1",
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              "Topic of prebuilds.preset.state.v1 events (key presetId, compacted) written to"
                  + " the preset_state table.",
              GROUP_TOPICS,
              1,
              ConfigDef.Width.LONG,
              "Preset state topic")
          .define(
              NOTIFICATIONS_TOPIC,
              Type.STRING,
              "prebuilds.notifications.v1",
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              "Topic of prebuilds.notification.*.v1 events written to the notification table.",
              GROUP_TOPICS,
              2,
              ConfigDef.Width.LONG,
              "Notifications topic")
          .define(
              CLAIM_RESULTS_TOPIC,
              Type.STRING,
              "prebuilds.claim-results.v1",
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              "Topic of prebuilds.claim.*.v1 events written to the claim_result table.",
              GROUP_TOPICS,
              3,
              ConfigDef.Width.LONG,
              "Claim results topic");

  PostgresSinkConfig(Map<String, String> properties) {
    super(DEFINITION, properties);
  }

  DatabaseSettings database() {
    Password password = getPassword(CONNECTION_PASSWORD);
    return new DatabaseSettings(
        getString(CONNECTION_URL),
        getString(CONNECTION_USER),
        password == null ? new Password("") : password,
        getString(DATABASE_SCHEMA),
        getInt(POOL_SIZE),
        getLong(CONNECTION_TIMEOUT_MS));
  }

  long retryBackoffMs() {
    return getLong(RETRY_BACKOFF_MS);
  }

  ReadModelTopics topics() {
    return new ReadModelTopics(
        getString(PRESET_STATE_TOPIC),
        getString(NOTIFICATIONS_TOPIC),
        getString(CLAIM_RESULTS_TOPIC));
  }

  private static void requirePostgresUrl(String name, Object value) {
    if (value != null && !((String) value).startsWith("jdbc:postgresql:")) {
      // The value is left out of the message: a JDBC URL may carry a password.
      throw new ConfigException(
          "Invalid value for configuration "
              + name
              + ": must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
    }
  }

  private static void requireIdentifier(String name, Object value) {
    if (value == null || !IDENTIFIER.matcher((String) value).matches()) {
      throw new ConfigException(
          name, value, "must be a lower-case PostgreSQL identifier ([a-z_][a-z0-9_]*)");
    }
  }
}
