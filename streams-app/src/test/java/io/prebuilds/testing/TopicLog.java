package io.prebuilds.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything on a topic, read from the beginning up to its end with a chosen isolation level:
 * {@code read_committed} sees what workers see, {@code read_uncommitted} also sees the records of
 * aborted transactions. Call it once no transaction on the topic is open any more (every writer
 * stopped, a killed one's transactions aborted), or {@code read_committed} stops at the first open
 * one.
 */
public final class TopicLog {
  private TopicLog() {}

  /** Whether to see records of aborted transactions. */
  public enum Isolation {
    READ_COMMITTED("read_committed"),
    READ_UNCOMMITTED("read_uncommitted");

    private final String config;

    Isolation(String config) {
      this.config = config;
    }
  }

  /** Every record of {@code topic}, partition by partition in offset order. */
  public static List<ConsumerRecord<String, byte[]>> read(
      KafkaBroker kafka, String topic, Isolation isolation) {
    Properties properties = kafka.consumerProperties();
    properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.config);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (var consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      records.sort(
          (a, b) ->
              a.partition() != b.partition()
                  ? Integer.compare(a.partition(), b.partition())
                  : Long.compare(a.offset(), b.offset()));
      return records;
    }
  }
}
