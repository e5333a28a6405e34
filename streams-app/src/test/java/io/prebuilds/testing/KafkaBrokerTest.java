package io.prebuilds.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerTest {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  @Test
  void createsTopicsAndServesTransactionalProducersAndReadCommittedConsumers() {
    kafka.createTopics(3, "fixture.topic");
    var producerProperties = kafka.producerProperties();
    producerProperties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fixture-test");
    try (var producer = new KafkaProducer<String, String>(producerProperties)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("fixture.topic", "k", "v"));
      producer.commitTransaction();
    }

    var values = new ArrayList<String>();
    try (var consumer = new KafkaConsumer<String, String>(kafka.consumerProperties())) {
      consumer.subscribe(List.of("fixture.topic"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> values.add(record.value()));
                return !values.isEmpty();
              });
    }
    assertThat(values).containsExactly("v");
  }

  @Test
  void closesExactlyOnceHoweverOftenItIsClosed() throws Exception {
    var broker = KafkaBroker.started();
    broker.close();
    broker.close();

    assertThatThrownBy(broker::bootstrapServers)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the broker is not running");
  }
}
