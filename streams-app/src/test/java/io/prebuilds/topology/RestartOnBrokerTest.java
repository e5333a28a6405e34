package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.prebuilds.runtime.Health;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimResult;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.FailureKind;
import io.prebuilds.schemas.event.FailureLimitReached;
import io.prebuilds.schemas.event.PresetSnapshot;
import io.prebuilds.schemas.event.ReinitializeAgent;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.testing.KafkaBroker;
import io.prebuilds.testing.TopicLog;

/**
 * Exactly-once across a restart, both when the instance restores its state from the changelog into
 * an empty state directory and when it restarts on its persistent state directory: the
 * failure-limit notification and the agent reinitialization, each sent once before the restart, are
 * not sent again when the same events are redelivered afterwards. Each case has a broker of its
 * own.
 */
class RestartOnBrokerTest {

  private static final String SOURCE = "/restart-test";
  private static final String APPLICATION_ID = "prebuilds-restart-test";

  private final EventCodec codec = EventCodec.create();
  private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

  /** The last started instance's health, which counts what it restored. */
  private Health health;

  @TempDir Path temporary;
  private KafkaBroker kafka;
  private KafkaProducer<String, byte[]> producer;
  private KafkaConsumer<String, byte[]> consumer;

  @BeforeEach
  void setUp() {
    kafka = KafkaBroker.started();
    kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(2, (short) 1)).toList());
    producer = kafka.bytesProducer();
    consumer =
        kafka.bytesConsumer(
            Topics.COMMANDS.name(),
            Topics.NOTIFICATIONS.name(),
            Topics.CLAIM_RESULTS.name(),
            Topics.PRESET_STATE.name());
  }

  @AfterEach
  void tearDown() throws Exception {
    consumer.close();
    producer.close();
    kafka.close();
  }

  @ParameterizedTest(name = "{0} state directory")
  @ValueSource(strings = {"empty", "persistent"})
  void notificationAndReinitializationAreNotRepeatedAfterARestart(String stateDirectory)
      throws Exception {
    Path firstStateDir = Files.createDirectories(temporary.resolve("first"));
    Path secondStateDir =
        stateDirectory.equals("persistent")
            ? firstStateDir
            : Files.createDirectories(temporary.resolve("second"));
    List<byte[]> replay = new ArrayList<>();
    try (KafkaStreams first = start(firstStateDir)) {
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
      // builds and claims are different topics: the claim must not overtake the prebuild's
      // readiness
      awaitEligible("p-ok");
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
    long changelogRecords = changelogRecords();
    try (KafkaStreams second = start(secondStateDir)) {
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
    assertThat(values(Command.class)).extracting(Command::commandId).doesNotHaveDuplicates();
    // Into an empty directory the second instance restores every changelog record the first one
    // wrote; on its own directory it restores none: every store had a checkpointed offset, also
    // claim-results of the partition nobody claimed on, which only the changelog anchor wrote to.
    // Without the anchor Kafka Streams takes that task for corrupted and restores all of it.
    if (firstStateDir.equals(secondStateDir)) {
      assertThat(health.restoredRecords()).isZero();
    } else {
      assertThat(health.restoredRecords()).isEqualTo(changelogRecords);
    }
  }

  private KafkaStreams start(Path stateDir) throws Exception {
    Properties props = BrokerStreams.config(APPLICATION_ID, kafka.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    KafkaStreams streams =
        new KafkaStreams(
            PrebuildsTopology.build(TopologySettings.defaults(2), TopologyMetrics.NONE), props);
    health = new Health();
    streams.setGlobalStateRestoreListener(health.restoreListener());
    streams.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
    return streams;
  }

  /** The records on the application's changelog topics, as a restore reads them. */
  private long changelogRecords() throws Exception {
    try (var admin = kafka.admin()) {
      return admin.listTopics().names().get().stream()
          .filter(name -> name.startsWith(APPLICATION_ID) && name.endsWith("-changelog"))
          .mapToLong(name -> TopicLog.read(kafka, name, TopicLog.Isolation.READ_COMMITTED).size())
          .sum();
    }
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

  private List<CreatePrebuild> awaitCreates(int count) {
    awaitCount(CreatePrebuild.class, count);
    return values(CreatePrebuild.class);
  }

  private void awaitCount(Class<?> kind, int count) {
    awaitSeen(() -> values(kind).size() >= count);
  }

  /** Waits until the read model shows a prebuild of {@code presetId} ready to be claimed. */
  private void awaitEligible(String presetId) {
    awaitSeen(
        () ->
            values(PresetSnapshot.class).stream()
                .anyMatch(state -> state.presetId().equals(presetId) && state.eligible() >= 1));
  }

  /** Polls the outputs into {@code seen} until {@code done} holds of them. */
  private void awaitSeen(BooleanSupplier done) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
              return done.getAsBoolean();
            });
  }

  private <T> List<T> values(Class<T> kind) {
    return seen.stream()
        .filter(r -> r.value() != null)
        .map(r -> codec.decode(r.value()).orElseThrow().data())
        .filter(kind::isInstance)
        .map(kind::cast)
        .toList();
  }

  private byte[] event(String id, Event data) {
    return codec.encode(Envelope.of(SOURCE, id, Instant.now(), data));
  }

  private void send(TopicSpec<?> topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic.name(), key, value));
    producer.flush();
  }
}
