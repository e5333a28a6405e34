package io.prebuilds.runtime.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevBrokerTest {
  private static final String TOPIC = "prebuilds.builds.v1";

  @TempDir Path dataDir;

  @Test
  void servesTransactionsKeepsDataAcrossARestartAndFreshWipesIt() throws Exception {
    var settings = new DevBroker.Settings("localhost", freePort(), dataDir, false);

    try (var broker = DevBroker.start(settings)) {
      assertThat(broker.bootstrapServers()).isEqualTo("localhost:" + settings.port());
      try (var admin = admin(broker)) {
        assertThat(brokerSetting(admin, "auto.create.topics.enable")).isEqualTo("false");
        admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
      }
      try (var producer = transactionalProducer(broker)) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, "p1", "aborted"));
        producer.abortTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, "p1", "committed"));
        producer.commitTransaction();
      }
      assertThat(readCommitted(broker, 1)).containsExactly("committed");
    }

    try (var restarted = DevBroker.start(settings)) {
      try (var admin = admin(restarted)) {
        assertThat(admin.listTopics().names().get()).contains(TOPIC);
      }
      assertThat(readCommitted(restarted, 1)).containsExactly("committed");
    }

    var fresh = new DevBroker.Settings("localhost", settings.port(), dataDir, true);
    try (var wiped = DevBroker.start(fresh);
        var admin = admin(wiped)) {
      assertThat(admin.listTopics().names().get()).doesNotContain(TOPIC);
    }
  }

  @Test
  void aPortInUseFailsWithAMessageNamingIt() throws Exception {
    try (var taken = new ServerSocket(0)) {
      var settings = new DevBroker.Settings("localhost", taken.getLocalPort(), dataDir, false);

      assertThatThrownBy(() -> DevBroker.start(settings))
          .hasMessageContaining("port " + taken.getLocalPort())
          .hasMessageContaining("--port");
    }
  }

  private static String brokerSetting(Admin admin, String name) throws Exception {
    var broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
    return admin.describeConfigs(List.of(broker)).all().get().get(broker).get(name).value();
  }

  private static Admin admin(DevBroker broker) {
    return Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
  }

  private static KafkaProducer<String, String> transactionalProducer(DevBroker broker) {
    var properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "dev-broker-test-" + UUID.randomUUID());
    return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
  }

  private static List<String> readCommitted(DevBroker broker, int expected) {
    var properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "dev-broker-test-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    var values = new ArrayList<String>();
    try (var consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> values.add(record.value()));
                return values.size() >= expected;
              });
    }
    return values;
  }

  private static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
