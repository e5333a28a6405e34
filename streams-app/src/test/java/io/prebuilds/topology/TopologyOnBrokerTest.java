package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.prebuilds.schemas.DlqHeaders;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.AgentStatusChanged;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.Claimed;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.PresetSnapshot;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.testing.KafkaBroker;

/**
 * The topology on a real in-process KRaft broker under exactly-once: a pool fills, a claim is
 * served with a backfill, and a poison pill lands in the dead-letter topic with its reason while
 * everything else flows. Reads use read_committed, as workers do.
 */
class TopologyOnBrokerTest {

  private static final int PARTITIONS = 2;
  private static final String SOURCE = "/broker-test";

  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  private static final EventCodec codec = EventCodec.create();
  private static KafkaStreams streams;
  private static KafkaProducer<String, byte[]> producer;
  private static KafkaConsumer<String, byte[]> consumer;
  private static final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
  private static int sequence;

  @BeforeAll
  static void start() throws Exception {
    kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(PARTITIONS, (short) 1)).toList());
    Properties props = BrokerStreams.config("prebuilds-broker-test", kafka.bootstrapServers());
    streams =
        new KafkaStreams(
            PrebuildsTopology.build(TopologySettings.defaults(PARTITIONS), TopologyMetrics.NONE),
            props);
    streams.start();

    producer = kafka.bytesProducer();
    consumer =
        kafka.bytesConsumer(
            Topics.COMMANDS.name(),
            Topics.CLAIM_RESULTS.name(),
            Topics.PRESET_STATE.name(),
            Topics.DLQ.name());
  }

  @AfterAll
  static void stop() {
    if (consumer != null) {
      consumer.close();
    }
    if (producer != null) {
      producer.close();
    }
    if (streams != null) {
      streams.close(Duration.ofSeconds(30));
    }
  }

  @Test
  void poolFillsClaimIsServedAndPoisonGoesToTheDeadLetterTopic() {
    for (String poison : POISON.keySet()) {
      send(Topics.CLAIMS, "p-broker", poison.getBytes(StandardCharsets.UTF_8));
    }
    send(Topics.CONTROL, "p-broker", new byte[600_000]);
    send(
        Topics.TEMPLATES,
        TopologyHarness.TEMPLATE,
        event(template("v1", List.of(version("v1", preset("p-broker", 2))))));

    List<CreatePrebuild> creates = awaitCommands(CreatePrebuild.class, 2);
    for (CreatePrebuild create : creates) {
      send(
          Topics.BUILDS,
          "p-broker",
          event(
              new BuildCompleted(
                  "p-broker",
                  create.workspaceId(),
                  create.workspaceId() + "-1",
                  1,
                  Optional.of(create.commandId()),
                  Optional.empty(),
                  TopologyHarness.TEMPLATE,
                  "v1",
                  TopologyHarness.ORG,
                  Transition.START,
                  BuildStatus.SUCCEEDED,
                  Optional.empty(),
                  TopologyHarness.SYSTEM_USER,
                  Instant.now())));
      send(
          Topics.BUILDS,
          "p-broker",
          event(new AgentStatusChanged("p-broker", create.workspaceId(), 1, true, Instant.now())));
    }
    // builds and claims are different topics: the claim must not overtake the pool's readiness
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              poll();
              return values(Topics.PRESET_STATE.name()).stream()
                  .anyMatch(
                      state ->
                          state instanceof PresetSnapshot snapshot
                              && snapshot.presetId().equals("p-broker")
                              && snapshot.eligible() >= 1);
            });
    Instant now = Instant.now();
    send(
        Topics.CLAIMS,
        "p-broker",
        event(
            new ClaimRequested(
                "claim-broker",
                "p-broker",
                TopologyHarness.ORG,
                "alice",
                "alice",
                "alice-ws",
                now,
                now.plusSeconds(60))));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              poll();
              assertThat(values(Topics.CLAIM_RESULTS.name()))
                  .anySatisfy(r -> assertThat(r).isInstanceOf(Claimed.class));
            });
    // The backfill create passes the admission stage, one transaction after the claim result.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              poll();
              assertThat(commands(CreatePrebuild.class)).hasSize(3);
            });

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              poll();
              List<ConsumerRecord<String, byte[]>> deadLetters =
                  seen.stream().filter(r -> r.topic().equals(Topics.DLQ.name())).toList();
              for (var poison : POISON.entrySet()) {
                assertThat(deadLetters)
                    .anySatisfy(
                        r -> {
                          assertThat(new String(r.value(), StandardCharsets.UTF_8))
                              .isEqualTo(poison.getKey());
                          assertThat(header(r, DlqHeaders.REASON)).isEqualTo(poison.getValue());
                          assertThat(header(r, DlqHeaders.ORIGINAL_TOPIC))
                              .isEqualTo(Topics.CLAIMS.name());
                        });
              }
              assertThat(deadLetters)
                  .anySatisfy(
                      r -> {
                        assertThat(r.value()).hasSize(600_000);
                        assertThat(header(r, DlqHeaders.REASON)).isEqualTo("OVERSIZED");
                        assertThat(header(r, DlqHeaders.ORIGINAL_TOPIC))
                            .isEqualTo(Topics.CONTROL.name());
                      });
            });
  }

  /** One poison pill per kind of rejection (besides OVERSIZED), with its reason. */
  private static final java.util.Map<String, String> POISON =
      java.util.Map.of(
          "definitely not an event",
          "NOT_JSON",
          "{\"specversion\":\"1.0\",\"id\":\"x1\",\"source\":\"/s\",\"type\":\"prebuilds.claim.exploded.v1\",\"time\":\"2025-06-02T08:00:00Z\",\"data\":{}}",
          "UNKNOWN_TYPE",
          "{\"specversion\":\"1.0\",\"id\":\"x2\",\"source\":\"/s\",\"type\":\"prebuilds.claim.requested.v2\",\"time\":\"2025-06-02T08:00:00Z\",\"data\":{}}",
          "UNSUPPORTED_VERSION",
          "{\"specversion\":\"1.0\",\"id\":\"x3\",\"source\":\"/s\",\"type\":\"prebuilds.claim.requested.v1\",\"time\":\"2025-06-02T08:00:00Z\",\"data\":{\"claimId\":\"c\"}}",
          "SCHEMA_INVALID");

  private static <C> List<C> awaitCommands(Class<C> kind, int count) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              poll();
              return commands(kind).size() >= count;
            });
    return commands(kind);
  }

  private static <C> List<C> commands(Class<C> kind) {
    return values(Topics.COMMANDS.name()).stream()
        .filter(kind::isInstance)
        .map(kind::cast)
        .toList();
  }

  private static List<Event> values(String topic) {
    return seen.stream()
        .filter(r -> r.topic().equals(topic) && r.value() != null)
        .map(r -> codec.decode(r.value()).orElseThrow().data())
        .toList();
  }

  private static void poll() {
    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
  }

  private static byte[] event(Event data) {
    return codec.encode(Envelope.of(SOURCE, "e-" + (++sequence), Instant.now(), data));
  }

  private static void send(TopicSpec<?> topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic.name(), key, value));
    producer.flush();
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
