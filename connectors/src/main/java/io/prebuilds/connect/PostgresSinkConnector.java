package io.prebuilds.connect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Keeps the PostgreSQL read model in step with the streams: preset state (upserted, guarded by
 * source offset; tombstones delete), notifications and claim results (insert-if-absent). Every task
 * gets the same settings; Connect spreads the topics' partitions over them. See {@code
 * docs/read-model.md} for the tables and how to run it.
 */
public final class PostgresSinkConnector extends SinkConnector {

  private static final String TOPICS = "topics";

  private Map<String, String> properties = Map.of();

  @Override
  public String version() {
    return PluginVersion.VALUE;
  }

  @Override
  public void start(Map<String, String> properties) {
    new PostgresSinkConfig(properties);
    this.properties = Map.copyOf(properties);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return PostgresSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return Collections.nCopies(maxTasks, properties);
  }

  @Override
  public void stop() {
    properties = Map.of();
  }

  @Override
  public ConfigDef config() {
    return PostgresSinkConfig.DEFINITION;
  }

  /**
   * Besides each key's own validator, checks that {@code topics} names only the configured
   * read-model topics: a record of any other topic would have no table to go to.
   */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    String topics = connectorConfigs.get(TOPICS);
    if (topics == null || topics.isBlank()) {
      return config;
    }
    Set<String> known =
        Set.of(
            valueOf(config, PostgresSinkConfig.PRESET_STATE_TOPIC),
            valueOf(config, PostgresSinkConfig.NOTIFICATIONS_TOPIC),
            valueOf(config, PostgresSinkConfig.CLAIM_RESULTS_TOPIC));
    List<String> unknown =
        Arrays.stream(topics.split(","))
            .map(String::trim)
            .filter(t -> !t.isEmpty() && !known.contains(t))
            .toList();
    if (unknown.isEmpty()) {
      return config;
    }
    var topicsValue = new ConfigValue(TOPICS);
    topicsValue.value(topics);
    topicsValue.addErrorMessage(
        "topics "
            + unknown
            + " are not read-model topics; set "
            + PostgresSinkConfig.PRESET_STATE_TOPIC
            + ", "
            + PostgresSinkConfig.NOTIFICATIONS_TOPIC
            + " or "
            + PostgresSinkConfig.CLAIM_RESULTS_TOPIC
            + " to name them");
    List<ConfigValue> values = new ArrayList<>(config.configValues());
    values.add(topicsValue);
    return new Config(values);
  }

  private static String valueOf(Config config, String key) {
    return config.configValues().stream()
        .filter(v -> v.name().equals(key))
        .map(v -> v.value() == null ? "" : v.value().toString())
        .findFirst()
        .orElse("");
  }
}
