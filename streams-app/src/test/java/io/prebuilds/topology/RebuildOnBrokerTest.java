package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.prebuilds.runtime.config.RebuildMode;
import io.prebuilds.runtime.rebuild.RebuildCheck;
import io.prebuilds.runtime.rebuild.RebuildProgress;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.AgentStatusChanged;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimResult;
import io.prebuilds.schemas.event.ClaimWorkspace;
import io.prebuilds.schemas.event.Claimed;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.FailureKind;
import io.prebuilds.schemas.event.FailureLimitReached;
import io.prebuilds.schemas.event.Notification;
import io.prebuilds.schemas.event.PresetSnapshot;
import io.prebuilds.schemas.event.PresetStatus;
import io.prebuilds.schemas.event.ReinitializeAgent;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.testing.KafkaBroker;

/**
 * An application reset on topics full of history (a fresh {@code application.id}: no committed
 * offsets, no changelogs). With {@code prebuilds.rebuild=auto} the app rebuilds its state from the
 * history without sending a command, notification or claim result for it, then reconciles: the
 * preset-state records match the pool, a full pool gets no create, a hard-limited preset is not
 * notified again, and new events are answered as usual. With {@code never} the same history is
 * answered again, which is what the rebuild exists to prevent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebuildOnBrokerTest {

  private static final String SOURCE = "/rebuild-test";

  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  private static final EventCodec codec = EventCodec.create();
  private static KafkaProducer<String, byte[]> producer;
  private static KafkaConsumer<String, byte[]> consumer;
  private static final List<Envelope<?>> seen = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(2, (short) 1)).toList());
    producer = kafka.bytesProducer();
    consumer =
        kafka.bytesConsumer(
            Topics.COMMANDS.name(),
            Topics.NOTIFICATIONS.name(),
            Topics.CLAIM_RESULTS.name(),
            Topics.PRESET_STATE.name());
    writeHistory();
  }

  @AfterAll
  static void tearDown() {
    consumer.close();
    producer.close();
  }

  /**
   * The first life of the app: a pool of one (p-ok) whose prebuild was claimed and replaced, and a
   * preset whose three creates failed (p-bad: hard limited, admins notified, two failed prebuilds
   * deleted and one kept).
   */
  private static void writeHistory() throws Exception {
    try (KafkaStreams first = start("prebuilds-rebuild-first", RebuildGate.none())) {
      send(
          Topics.TEMPLATES,
          TopologyHarness.TEMPLATE,
          event(
              "tpl-1",
              template("v1", List.of(version("v1", preset("p-ok", 1), preset("p-bad", 3))))));
      List<CreatePrebuild> creates = awaitCommands(CreatePrebuild.class, 4, Instant.MIN);
      for (CreatePrebuild bad : presetOf(creates, "p-bad")) {
        send(Topics.BUILDS, "p-bad", event("fail-" + bad.workspaceId(), failed(bad)));
      }
      CreatePrebuild ok = presetOf(creates, "p-ok").get(0);
      complete(ok);
      // The claim goes on another topic; Kafka Streams orders topics by timestamp only among
      // records it has fetched, so a claim sent at once could overtake the build it needs.
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                poll();
                return latestState("p-ok", Instant.MIN)
                    .filter(state -> state.eligible() == 1)
                    .isPresent();
              });
      Instant claimedAt = Instant.now();
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
                  claimedAt,
                  claimedAt.plusSeconds(300))));
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                poll();
                return values(Claimed.class).size() == 1;
              });
      CreatePrebuild replacement =
          presetOf(awaitCommands(CreatePrebuild.class, 5, Instant.MIN), "p-ok").get(1);
      complete(replacement);
      send(
          Topics.BUILDS,
          "p-ok",
          event("claim-build", build(ok, 2, Transition.START, BuildStatus.SUCCEEDED, "alice")));
      for (DeletePrebuild delete : awaitCommands(DeletePrebuild.class, 2, Instant.MIN)) {
        send(
            Topics.BUILDS,
            "p-bad",
            event(
                "deleted-" + delete.workspaceId(),
                new BuildCompleted(
                    "p-bad",
                    delete.workspaceId(),
                    delete.workspaceId() + "-2",
                    2,
                    Optional.of(delete.commandId()),
                    Optional.empty(),
                    TopologyHarness.TEMPLATE,
                    "v1",
                    TopologyHarness.ORG,
                    Transition.DELETE,
                    BuildStatus.SUCCEEDED,
                    Optional.empty(),
                    TopologyHarness.SYSTEM_USER,
                    Instant.now())));
      }
      awaitCommands(ReinitializeAgent.class, 1, Instant.MIN);
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                poll();
                return values(FailureLimitReached.class).size() == 1
                    && latestState("p-ok", Instant.MIN).map(s -> s.eligible() == 1).orElse(false)
                    && latestState("p-bad", Instant.MIN).map(s -> s.running() == 0).orElse(false)
                    && latestState("p-bad", Instant.MIN).map(s -> s.deleting() == 0).orElse(false);
              });
    }
  }

  @Test
  @Order(1)
  void aResetAppRebuildsStateWithoutAnsweringHistoryAgainThenReconciles() throws Exception {
    String applicationId = "prebuilds-rebuild-reset";
    RebuildGate gate = gate(applicationId, RebuildMode.AUTO);
    assertThat(gate.active()).isTrue();
    Instant started = Instant.now();

    try (KafkaStreams second = start(applicationId, gate);
        AutoCloseable progress = RebuildProgress.watch(gate, second, Clock.systemUTC())) {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                poll();
                return latestState("p-ok", started).isPresent()
                    && latestState("p-bad", started).isPresent();
              });

      PresetSnapshot ok = latestState("p-ok", started).orElseThrow();
      assertThat(ok.desired()).isEqualTo(1);
      assertThat(ok.running()).isEqualTo(1);
      assertThat(ok.eligible()).isEqualTo(1);
      assertThat(ok.starting()).isZero();
      assertThat(ok.counters().claimedTotal()).isEqualTo(1);
      assertThat(ok.counters().createdTotal()).isEqualTo(2);
      PresetSnapshot bad = latestState("p-bad", started).orElseThrow();
      assertThat(bad.status()).isEqualTo(PresetStatus.HARD_LIMITED);
      assertThat(bad.counters().failedTotal()).isEqualTo(3);
      assertThat(bad.deleting()).isZero();

      Instant claimedAt = Instant.now();
      send(
          Topics.CLAIMS,
          "p-ok",
          event(
              "claim-2",
              new ClaimRequested(
                  "claim-2",
                  "p-ok",
                  TopologyHarness.ORG,
                  "bob",
                  "bob",
                  "ws-bob",
                  claimedAt,
                  claimedAt.plusSeconds(300))));
      List<Command> answered = awaitCommandsSince(started, 2);

      assertThat(answered)
          .as("only the live claim is answered: its claim command and the pool's backfill")
          .hasSize(2)
          .anySatisfy(c -> assertThat(c).isInstanceOf(ClaimWorkspace.class))
          .anySatisfy(c -> assertThat(c).isInstanceOf(CreatePrebuild.class));
      assertThat(since(started, ClaimResult.class))
          .singleElement()
          .satisfies(result -> assertThat(result.claimId()).isEqualTo("claim-2"));
      assertThat(since(started, Notification.class)).isEmpty();
      String alices =
          values(Claimed.class).stream()
              .filter(claimed -> claimed.claimId().equals("claim-1"))
              .findFirst()
              .orElseThrow()
              .workspaceId();
      assertThat(((Claimed) since(started, ClaimResult.class).get(0)).workspaceId())
          .as("bob gets the replacement prebuild, not alice's workspace")
          .isNotEqualTo(alices);
    }
  }

  @Test
  @Order(2)
  void withoutARebuildTheSameHistoryIsAnsweredAgain() throws Exception {
    String applicationId = "prebuilds-rebuild-never";
    RebuildGate gate = gate(applicationId, RebuildMode.NEVER);
    assertThat(gate.active()).isFalse();
    Instant started = Instant.now();

    try (KafkaStreams third = start(applicationId, gate)) {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                poll();
                return !since(started, FailureLimitReached.class).isEmpty()
                    && since(started, ClaimResult.class).stream()
                        .anyMatch(result -> result.claimId().equals("claim-1"));
              });
    }
  }

  @Test
  @Order(3)
  void autoSeesTheResetToolsEarliestOffsetsAsARebuildAndAResumedGroupAsNone() throws Exception {
    String reset = "prebuilds-rebuild-reset-tool";
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      for (String topic : List.of(Topics.TEMPLATES.name(), Topics.BUILDS.name())) {
        for (int partition = 0; partition < 2; partition++) {
          earliest.put(new TopicPartition(topic, partition), OffsetSpec.earliest());
        }
      }
      Map<TopicPartition, OffsetAndMetadata> atStart = new HashMap<>();
      admin
          .listOffsets(earliest)
          .all()
          .get()
          .forEach(
              (partition, info) -> atStart.put(partition, new OffsetAndMetadata(info.offset())));
      admin.alterConsumerGroupOffsets(reset, atStart).all().get();
    }

    assertThat(gate(reset, RebuildMode.AUTO).active())
        .as("kafka-streams-application-reset commits the earliest offsets")
        .isTrue();
    assertThat(gate("prebuilds-rebuild-first", RebuildMode.AUTO).active())
        .as("the first app committed offsets past the history: it resumes")
        .isFalse();
    assertThat(gate("prebuilds-rebuild-first", RebuildMode.ALWAYS).active())
        .as("always: whatever the inputs hold at start-up is history")
        .isTrue();
  }

  private static RebuildGate gate(String applicationId, RebuildMode mode) {
    try (Admin admin = kafka.admin()) {
      return RebuildCheck.gate(admin, applicationId, mode);
    }
  }

  private static KafkaStreams start(String applicationId, RebuildGate gate) throws Exception {
    Properties props = BrokerStreams.config(applicationId, kafka.bootstrapServers());
    KafkaStreams streams =
        new KafkaStreams(
            PrebuildsTopology.build(TopologySettings.defaults(2), TopologyMetrics.NONE, gate),
            props);
    streams.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
    return streams;
  }

  /** A create answered: the start build succeeded and the agents are ready. */
  private static void complete(CreatePrebuild create) {
    send(
        Topics.BUILDS,
        create.presetId(),
        event(
            "built-" + create.workspaceId(),
            build(create, 1, Transition.START, BuildStatus.SUCCEEDED, null)));
    send(
        Topics.BUILDS,
        create.presetId(),
        event(
            "ready-" + create.workspaceId(),
            new AgentStatusChanged(
                create.presetId(), create.workspaceId(), 1, true, Instant.now())));
  }

  private static BuildCompleted failed(CreatePrebuild create) {
    return new BuildCompleted(
        create.presetId(),
        create.workspaceId(),
        create.workspaceId() + "-1",
        1,
        Optional.of(create.commandId()),
        Optional.empty(),
        TopologyHarness.TEMPLATE,
        "v1",
        TopologyHarness.ORG,
        Transition.START,
        BuildStatus.FAILED,
        Optional.of(FailureKind.TRANSIENT),
        TopologyHarness.SYSTEM_USER,
        Instant.now());
  }

  private static BuildCompleted build(
      CreatePrebuild create, int number, Transition transition, BuildStatus status, String user) {
    return new BuildCompleted(
        create.presetId(),
        create.workspaceId(),
        create.workspaceId() + "-" + number,
        number,
        number == 1 ? Optional.of(create.commandId()) : Optional.empty(),
        Optional.empty(),
        TopologyHarness.TEMPLATE,
        "v1",
        TopologyHarness.ORG,
        transition,
        status,
        Optional.empty(),
        user == null ? TopologyHarness.SYSTEM_USER : user,
        Instant.now());
  }

  private static List<CreatePrebuild> presetOf(List<CreatePrebuild> creates, String presetId) {
    return creates.stream().filter(c -> c.presetId().equals(presetId)).toList();
  }

  private static <C extends Command> List<C> awaitCommands(
      Class<C> kind, int count, Instant since) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              poll();
              return since(since, kind).size() >= count;
            });
    return since(since, kind);
  }

  private static List<Command> awaitCommandsSince(Instant since, int count) {
    return awaitCommands(Command.class, count, since);
  }

  private static void poll() {
    consumer
        .poll(Duration.ofMillis(200))
        .forEach(
            record -> {
              if (record.value() != null) {
                seen.add(codec.decode(record.value()).orElseThrow());
              }
            });
  }

  /** The latest preset-state record of a preset written at or after {@code since}. */
  private static Optional<PresetSnapshot> latestState(String presetId, Instant since) {
    List<PresetSnapshot> states =
        since(since, PresetSnapshot.class).stream()
            .filter(s -> s.presetId().equals(presetId))
            .toList();
    return states.isEmpty() ? Optional.empty() : Optional.of(states.get(states.size() - 1));
  }

  /** Every output of a kind written at or after {@code since} (the envelope's time). */
  private static <T> List<T> since(Instant since, Class<T> kind) {
    return seen.stream()
        .filter(envelope -> !envelope.time().isBefore(since))
        .map(Envelope::data)
        .filter(kind::isInstance)
        .map(kind::cast)
        .toList();
  }

  private static <T> List<T> values(Class<T> kind) {
    return since(Instant.MIN, kind);
  }

  private static byte[] event(String id, Event data) {
    return codec.encode(Envelope.of(SOURCE, id, Instant.now(), data));
  }

  private static void send(TopicSpec<?> topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic.name(), key, value));
    producer.flush();
  }
}
