package io.prebuilds.testing;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real in-process Kafka broker (KRaft, one combined broker+controller node, random port) with
 * the single-node settings that consumer groups and transactions need, shared by a test class.
 *
 * <p>As a JUnit extension (started before all tests, closed after): {@code @RegisterExtension
 * static final KafkaBroker kafka = new KafkaBroker();}. As a plain fixture: {@code try (var kafka =
 * KafkaBroker.started()) {...}}. Closing is idempotent (the test kit itself must be closed exactly
 * once).
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  private final Map<String, String> brokerSettings;
  private final AtomicBoolean closed = new AtomicBoolean();
  private KafkaClusterTestKit cluster;

  public KafkaBroker() {
    this(Map.of());
  }

  /** A broker with extra broker settings on top of the single-node ones. */
  public KafkaBroker(Map<String, String> brokerSettings) {
    this.brokerSettings = Map.copyOf(brokerSettings);
  }

  /** A started broker, for use outside JUnit's lifecycle. */
  public static KafkaBroker started() {
    var broker = new KafkaBroker();
    broker.start();
    return broker;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  /** Starts the broker; returns once it serves clients. */
  public synchronized void start() {
    if (cluster != null) {
      throw new IllegalStateException("the broker is already started");
    }
    try {
      var builder =
          new KafkaClusterTestKit.Builder(
              new TestKitNodes.Builder()
                  .setCombined(true)
                  .setNumBrokerNodes(1)
                  .setNumControllerNodes(1)
                  .build());
      singleNodeSettings().forEach(builder::setConfigProp);
      brokerSettings.forEach(builder::setConfigProp);
      cluster = builder.build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      throw new IllegalStateException("could not start the in-process Kafka broker", e);
    }
  }

  public String bootstrapServers() {
    return cluster().bootstrapServers();
  }

  /** Creates topics with replication factor 1 and waits until they exist. */
  public void createTopics(int partitions, String... names) {
    var topics =
        Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList();
    createTopics(topics);
  }

  public void createTopics(List<NewTopic> topics) {
    try (var admin = admin()) {
      admin.createTopics(topics).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not create topics " + topics, e.getCause());
    }
  }

  /** An admin client; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
  }

  /** String-keyed, string-valued producer settings, idempotent. */
  public Properties producerProperties() {
    var properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    return properties;
  }

  /** String consumer settings reading committed data from the beginning, in a fresh group. */
  public Properties consumerProperties() {
    var properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    properties.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return properties;
  }

  /**
   * A producer of string keys and byte values ({@link #producerProperties}); the caller closes it.
   */
  public KafkaProducer<String, byte[]> bytesProducer() {
    return new KafkaProducer<>(
        producerProperties(), new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * A consumer of string keys and byte values ({@link #consumerProperties}: committed records from
   * the beginning, in a fresh group), subscribed to {@code topics}; the caller closes it.
   */
  public KafkaConsumer<String, byte[]> bytesConsumer(String... topics) {
    var consumer =
        new KafkaConsumer<>(
            consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topics));
    return consumer;
  }

  @Override
  public synchronized void close() throws Exception {
    if (cluster != null && closed.compareAndSet(false, true)) {
      cluster.close();
    }
  }

  private KafkaClusterTestKit cluster() {
    if (cluster == null || closed.get()) {
      throw new IllegalStateException("the broker is not running");
    }
    return cluster;
  }

  private static Map<String, String> singleNodeSettings() {
    var settings = new HashMap<String, String>();
    settings.put("auto.create.topics.enable", "false");
    settings.put("offsets.topic.replication.factor", "1");
    settings.put("offsets.topic.num.partitions", "1");
    settings.put("transaction.state.log.replication.factor", "1");
    settings.put("transaction.state.log.min.isr", "1");
    settings.put("transaction.state.log.num.partitions", "1");
    settings.put("share.coordinator.state.topic.replication.factor", "1");
    settings.put("share.coordinator.state.topic.min.isr", "1");
    settings.put("group.initial.rebalance.delay.ms", "0");
    return settings;
  }
}
