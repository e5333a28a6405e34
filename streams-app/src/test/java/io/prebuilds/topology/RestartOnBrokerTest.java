package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimResult;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.FailureKind;
import io.prebuilds.schemas.event.FailureLimitReached;
import io.prebuilds.schemas.event.ReinitializeAgent;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.testing.KafkaBroker;

/**
 * Exactly-once across a restart that restores state from the changelog into an empty state
 * directory: the failure-limit notification and the agent reinitialization, each sent once before
 * the restart, are not sent again when the same events are redelivered afterwards.
 */
class RestartOnBrokerTest {

  private static final String SOURCE = "/restart-test";

  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  private static final EventCodec codec = EventCodec.create();
  private static KafkaProducer<String, byte[]> producer;
  private static KafkaConsumer<String, byte[]> consumer;
  private static final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(2, (short) 1)).toList());
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
    consumer =
        new KafkaConsumer<>(
            kafka.consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(
        List.of(Topics.COMMANDS.name(), Topics.NOTIFICATIONS.name(), Topics.CLAIM_RESULTS.name()));
  }

  @AfterAll
  static void tearDown() {
    consumer.close();
    producer.close();
  }

  @Test
  void notificationAndReinitializationAreNotRepeatedAfterARestoreIntoAnEmptyStateDir()
      throws Exception {
    List<byte[]> replay = new ArrayList<>();
    try (KafkaStreams first = start()) {
      send(
          Topics.TEMPLATES,
          TopologyHarness.TEMPLATE,
          event(
              "tpl-1",
              template("v1", List.of(version("v1", preset("p-ok", 1), preset("p-bad", 3))))));
      List<CreatePrebuild> creates = awaitCreates(4);
      CreatePrebuild ok =
          creates.stream().filter(c -> c.presetId().equals("p-ok")).findFirst().orElseThrow();
      for (CreatePrebuild bad :
          creates.stream().filter(c -> c.presetId().equals("p-bad")).toList()) {
        byte[] failed =
            event("fail-" + bad.workspaceId(), build(bad, 1, BuildStatus.FAILED, bad.commandId()));
        replay.add(failed);
        send(Topics.BUILDS, "p-bad", failed);
      }
      send(
          Topics.BUILDS,
          "p-ok",
          event("ok-1", build(ok, 1, BuildStatus.SUCCEEDED, ok.commandId())));
      send(
          Topics.BUILDS,
          "p-ok",
          event(
              "ok-ready",
              new io.prebuilds.schemas.event.AgentStatusChanged(
                  "p-ok", ok.workspaceId(), 1, true, Instant.now())));
      Instant now = Instant.now();
      send(
          Topics.CLAIMS,
          "p-ok",
          event(
              "claim-1",
              new ClaimRequested(
                  "claim-1",
                  "p-ok",
                  TopologyHarness.ORG,
                  "alice",
                  "alice",
                  "ws",
                  now,
                  now.plusSeconds(120))));
      awaitCount(ClaimResult.class, 1);
      byte[] claimBuild = event("claim-build", build(ok, 2, BuildStatus.SUCCEEDED, null));
      replay.add(claimBuild);
      send(Topics.BUILDS, "p-ok", claimBuild);
      awaitCount(ReinitializeAgent.class, 1);
      awaitCount(FailureLimitReached.class, 1);
    }

    try (KafkaStreams second = start()) {
      for (byte[] value : replay) {
        Envelope<?> envelope = codec.decode(value).orElseThrow();
        send(Topics.BUILDS, envelope.subject(), value);
      }
      Instant now = Instant.now();
      send(
          Topics.CLAIMS,
          "p-ok",
          event(
              "marker-ok",
              new ClaimRequested(
                  "marker-ok",
                  "p-ok",
                  TopologyHarness.ORG,
                  "bob",
                  "bob",
                  "ws",
                  now,
                  now.plusSeconds(120))));
      send(
          Topics.CLAIMS,
          "p-bad",
          event(
              "marker-bad",
              new ClaimRequested(
                  "marker-bad",
                  "p-bad",
                  TopologyHarness.ORG,
                  "bob",
                  "bob",
                  "ws",
                  now,
                  now.plusSeconds(120))));
      awaitCount(ClaimResult.class, 3);
    }
    assertThat(values(ReinitializeAgent.class)).hasSize(1);
    assertThat(values(FailureLimitReached.class)).hasSize(1);
  }

  private static KafkaStreams start() throws Exception {
    Properties props = BrokerStreams.config("prebuilds-restart-test", kafka.bootstrapServers());
    KafkaStreams streams =
        new KafkaStreams(
            PrebuildsTopology.build(TopologySettings.defaults(2), TopologyMetrics.NONE), props);
    streams.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
    return streams;
  }

  private static BuildCompleted build(
      CreatePrebuild create, int number, BuildStatus status, String commandId) {
    return new BuildCompleted(
        create.presetId(),
        create.workspaceId(),
        create.workspaceId() + "-" + number,
        number,
        Optional.ofNullable(commandId),
        Optional.empty(),
        TopologyHarness.TEMPLATE,
        "v1",
        TopologyHarness.ORG,
        Transition.START,
        status,
        status == BuildStatus.FAILED ? Optional.of(FailureKind.TRANSIENT) : Optional.empty(),
        number == 1 ? TopologyHarness.SYSTEM_USER : "alice",
        Instant.now());
  }

  private static List<CreatePrebuild> awaitCreates(int count) {
    awaitCount(CreatePrebuild.class, count);
    return values(CreatePrebuild.class);
  }

  private static void awaitCount(Class<?> kind, int count) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
              return values(kind).size() >= count;
            });
  }

  private static <T> List<T> values(Class<T> kind) {
    return seen.stream()
        .filter(r -> r.value() != null)
        .map(r -> codec.decode(r.value()).orElseThrow().data())
        .filter(kind::isInstance)
        .map(kind::cast)
        .toList();
  }

  private static byte[] event(String id, Event data) {
    return codec.encode(Envelope.of(SOURCE, id, Instant.now(), data));
  }

  private static void send(TopicSpec<?> topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic.name(), key, value));
    producer.flush();
  }
}
