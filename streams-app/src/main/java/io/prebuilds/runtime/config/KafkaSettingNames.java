package io.prebuilds.runtime.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka settings a {@code KAFKA_*} environment variable may name: every Streams, producer,
 * consumer and admin client setting, and the client settings under Streams' prefixes ({@code
 * producer.}, {@code consumer.}, {@code main.consumer.}, {@code restore.consumer.}, {@code
 * global.consumer.}, {@code admin.}). Matching against this list is what tells {@code
 * KAFKA_SASL_MECHANISM} (a setting) from {@code KAFKA_PORT} (a Kubernetes service link).
 */
final class KafkaSettingNames {
  private static final Map<String, String> BY_ENVIRONMENT_NAME = byEnvironmentName();

  private KafkaSettingNames() {}

  /** The Kafka setting that {@code KAFKA_<suffix>} names, e.g. {@code SASL_MECHANISM}. */
  static Optional<String> forEnvironmentSuffix(String suffix) {
    return Optional.ofNullable(BY_ENVIRONMENT_NAME.get(suffix));
  }

  private static Map<String, String> byEnvironmentName() {
    var names = new HashMap<String, String>();
    addAll(names, "", StreamsConfig.configDef().names());
    addAll(names, "", ProducerConfig.configNames());
    addAll(names, "", ConsumerConfig.configNames());
    addAll(names, "", AdminClientConfig.configNames());
    addAll(names, StreamsConfig.PRODUCER_PREFIX, ProducerConfig.configNames());
    addAll(names, StreamsConfig.CONSUMER_PREFIX, ConsumerConfig.configNames());
    addAll(names, StreamsConfig.MAIN_CONSUMER_PREFIX, ConsumerConfig.configNames());
    addAll(names, StreamsConfig.RESTORE_CONSUMER_PREFIX, ConsumerConfig.configNames());
    addAll(names, StreamsConfig.GLOBAL_CONSUMER_PREFIX, ConsumerConfig.configNames());
    addAll(names, StreamsConfig.ADMIN_CLIENT_PREFIX, AdminClientConfig.configNames());
    return Map.copyOf(names);
  }

  private static void addAll(Map<String, String> names, String prefix, Set<String> settings) {
    settings.forEach(
        setting -> names.putIfAbsent(Setting.environmentName(prefix + setting), prefix + setting));
  }
}
