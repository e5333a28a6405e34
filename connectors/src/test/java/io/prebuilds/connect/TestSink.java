package io.prebuilds.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * One sink connector under test, on topics and a database of its own, configured from the example
 * in {@code deploy/connect/} (so that file is what the tests prove) with only the connection, the
 * topic names and the test's own settings replaced.
 */
final class TestSink implements AutoCloseable {

  static final Path EXAMPLE_CONFIG =
      Path.of("..", "deploy", "connect", "prebuilds-postgres-sink.json");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  final String name;
  final String presetStateTopic;
  final String notificationsTopic;
  final String claimResultsTopic;
  final String deadLetterTopic;
  final TestDatabase database;
  final int tasks;
  private final Infrastructure infrastructure;

  private TestSink(Infrastructure infrastructure, String name, TestDatabase database, int tasks) {
    this.infrastructure = infrastructure;
    this.name = name;
    this.presetStateTopic = name + ".preset-state";
    this.notificationsTopic = name + ".notifications";
    this.claimResultsTopic = name + ".claim-results";
    this.deadLetterTopic = name + ".dlq";
    this.database = database;
    this.tasks = tasks;
  }

  /** Creates the topics (with {@code partitions} each) and database, then starts the sink. */
  static TestSink start(
      Infrastructure infrastructure, int partitions, int tasks, Map<String, String> overrides) {
    String name = infrastructure.uniqueName("sink");
    return start(
        infrastructure, name, infrastructure.createDatabase(name), partitions, tasks, overrides);
  }

  /** As {@link #start(Infrastructure, int, int, Map)}, writing to a database of the caller's. */
  static TestSink start(
      Infrastructure infrastructure,
      String name,
      TestDatabase database,
      int partitions,
      int tasks,
      Map<String, String> overrides) {
    var sink = new TestSink(infrastructure, name, database, tasks);
    sink.createTopics(partitions);
    Map<String, String> config = new HashMap<>(exampleConfig());
    config.remove("connection.user");
    config.remove("connection.password");
    config.put("connection.url", sink.database.jdbcUrl());
    config.put("tasks.max", Integer.toString(tasks));
    config.put("topics", String.join(",", sink.topics()));
    config.put("preset.state.topic", sink.presetStateTopic);
    config.put("notifications.topic", sink.notificationsTopic);
    config.put("claim.results.topic", sink.claimResultsTopic);
    config.put("errors.deadletterqueue.topic.name", sink.deadLetterTopic);
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("retry.backoff.ms", "100");
    config.put("connection.timeout.ms", "1000");
    config.putAll(overrides);
    infrastructure.worker().putConnector(name, config);
    sink.awaitRunning();
    return sink;
  }

  /** The connector settings of {@code deploy/connect/prebuilds-postgres-sink.json}. */
  static Map<String, String> exampleConfig() {
    try {
      JsonNode example = new ObjectMapper().readTree(Files.readString(EXAMPLE_CONFIG));
      return new ObjectMapper().convertValue(example.get("config"), new TypeReference<>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> topics() {
    return List.of(presetStateTopic, notificationsTopic, claimResultsTopic);
  }

  private void createTopics(int partitions) {
    try {
      infrastructure
          .admin()
          .createTopics(topics().stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  void awaitRunning() {
    await()
        .atMost(TIMEOUT)
        .ignoreExceptionsInstanceOf(NotFoundException.class)
        .untilAsserted(
            () -> {
              ConnectorStateInfo status = infrastructure.worker().herder().connectorStatus(name);
              assertThat(status.connector().state()).isEqualTo("RUNNING");
              assertThat(status.tasks()).hasSize(tasks);
              assertThat(status.tasks())
                  .allSatisfy(task -> assertThat(task.state()).isEqualTo("RUNNING"));
            });
  }

  /**
   * Makes Connect deliver every record again from the start of the topics: stops the connector,
   * deletes its consumer group's offsets and resumes it (KIP-875, as an operator would through
   * {@code DELETE /connectors/{name}/offsets}).
   */
  void redeliverEverything() {
    var stopped = new FutureCallback<Void>();
    infrastructure.worker().herder().stopConnector(name, stopped);
    awaitDone(stopped);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var reset = new FutureCallback<Object>();
              infrastructure
                  .worker()
                  .herder()
                  .resetConnectorOffsets(
                      name, (error, message) -> reset.onCompletion(error, message));
              awaitDone(reset);
            });
    infrastructure.worker().herder().resumeConnector(name);
    awaitRunning();
  }

  /** Waits until the connector's committed offsets reached the end of every topic. */
  void awaitCaughtUp() {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(committedOffsets()).isEqualTo(endOffsets()));
  }

  Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException {
    Set<TopicPartition> partitions =
        infrastructure.admin().describeTopics(topics()).allTopicNames().get().values().stream()
            .flatMap(
                d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
            .collect(Collectors.toSet());
    return infrastructure
        .admin()
        .listOffsets(
            partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all()
        .get()
        .entrySet()
        .stream()
        .filter(e -> e.getValue().offset() > 0)
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  Map<TopicPartition, Long> committedOffsets() throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        infrastructure
            .admin()
            .listConsumerGroupOffsets("connect-" + name)
            .partitionsToOffsetAndMetadata()
            .get();
    return committed.entrySet().stream()
        .filter(e -> e.getValue() != null && e.getValue().offset() > 0)
        .filter(e -> !e.getKey().topic().equals(deadLetterTopic))
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private static void awaitDone(FutureCallback<?> callback) {
    try {
      callback.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("Connect did not do it: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    infrastructure.worker().deleteConnector(name);
  }
}
