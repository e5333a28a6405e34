package io.prebuilds.connect;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The real parts the tests run against, started once for the whole test run and shared by every
 * test class: a KRaft broker, PostgreSQL and a Connect worker running this sink. Tests isolate
 * themselves by name (their own topics, database and connector), not by new processes.
 *
 * <p>Use as a JUnit extension; it resolves an {@code Infrastructure} parameter. Each part starts on
 * first use.
 */
final class Infrastructure implements AutoCloseable {

  /** Resolves {@link Infrastructure} parameters, starting it on first use. */
  static final class Extension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == Infrastructure.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context
          .getRoot()
          .getStore(ExtensionContext.Namespace.GLOBAL)
          .computeIfAbsent(Infrastructure.class, key -> start(), Infrastructure.class);
    }
  }

  private final AtomicInteger names = new AtomicInteger();
  private EmbeddedPostgres postgres;
  private KafkaClusterTestKit broker;
  private EmbeddedSinkWorker worker;
  private KafkaProducer<String, String> producer;
  private Admin admin;

  private static Infrastructure start() {
    return new Infrastructure();
  }

  /** PostgreSQL, started on first use (tests of the write path need nothing else). */
  synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new IllegalStateException("PostgreSQL did not start", e);
      }
    }
    return postgres;
  }

  /** The broker and the Connect worker, started together on first use. */
  private synchronized void startKafka() {
    if (broker != null) {
      return;
    }
    try {
      broker = startBroker();
    } catch (Exception e) {
      throw new IllegalStateException("the Kafka broker did not start", e);
    }
    producer = new KafkaProducer<>(producerProperties(broker.bootstrapServers()));
    admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    worker =
        EmbeddedSinkWorker.start(
            broker.bootstrapServers(), Map.of("offset.flush.interval.ms", "300"));
  }

  /** A one-node KRaft cluster with the single-node settings groups and transactions need. */
  static KafkaClusterTestKit startBroker() throws Exception {
    var broker =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("transaction.state.log.num.partitions", "1")
            .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
            .setConfigProp("share.coordinator.state.topic.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    broker.format();
    broker.startup();
    broker.waitForReadyBrokers();
    return broker;
  }

  static Properties producerProperties(String bootstrapServers) {
    var properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    return properties;
  }

  /** A name no other test uses, for topics, databases and connectors. */
  String uniqueName(String prefix) {
    return prefix + "_" + names.incrementAndGet();
  }

  /** Creates an empty database of the shared PostgreSQL. */
  TestDatabase createDatabase(String name) {
    return createDatabase(postgres(), name);
  }

  static TestDatabase createDatabase(EmbeddedPostgres postgres, String name) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new TestDatabase(
        "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name + "?user=postgres");
  }

  /** Sends one record and waits for the broker's acknowledgement. */
  void send(String topic, String key, String value) {
    startKafka();
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  String bootstrapServers() {
    startKafka();
    return broker.bootstrapServers();
  }

  EmbeddedSinkWorker worker() {
    startKafka();
    return worker;
  }

  Admin admin() {
    startKafka();
    return admin;
  }

  @Override
  public synchronized void close() throws Exception {
    if (broker != null) {
      producer.close();
      admin.close();
      worker.close();
      broker.close();
    }
    if (postgres != null) {
      closePostgres(postgres);
    }
  }

  static void closePostgres(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
