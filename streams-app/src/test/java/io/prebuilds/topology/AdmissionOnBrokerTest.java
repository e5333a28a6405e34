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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.TemplateSnapshot;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.testing.KafkaBroker;

/**
 * The admission stage on a real broker, exactly-once: 100 presets filled and then rolled over to a
 * new template version under the default budget of 10, with two restarts while commands are queued
 * (one on the same state directory, one restoring into an empty one). A worker reading {@code
 * prebuilds.commands.v1} read_committed answers every create and delete with a build event and
 * counts what it holds.
 */
class AdmissionOnBrokerTest {

  private static final String SOURCE = "/admission-test";
  private static final int PRESETS = 100;
  private static final int BUDGET = 10;

  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  private static final EventCodec codec = EventCodec.create();
  private static KafkaProducer<String, byte[]> producer;
  private static Worker worker;

  @BeforeAll
  static void setUp() {
    kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(2, (short) 1)).toList());
    producer = kafka.bytesProducer();
    worker = new Worker();
  }

  @AfterAll
  static void tearDown() {
    worker.consumer.close();
    producer.close();
  }

  @Test
  void rolloverOfAHundredPresetsUnderABudgetOfTenLosesAndDoublesNothingAcrossRestarts()
      throws Exception {
    Path stateDir = Files.createTempDirectory("admission-broker-state-");
    TemplateSnapshot.Preset[] v1 = presets("p-");
    TemplateSnapshot.Preset[] v2 = presets("q-");

    KafkaStreams app = start(stateDir);
    send(TopologyHarness.TEMPLATE, template("v1", List.of(version("v1", v1))));
    work(() -> worker.creates >= 30);
    app.close(Duration.ofSeconds(60));

    app = start(stateDir);
    work(() -> worker.creates >= 60);
    app.close(Duration.ofSeconds(60));

    app = start(Files.createTempDirectory("admission-broker-fresh-"));
    work(() -> worker.liveIn("p-") == PRESETS);
    send(TopologyHarness.TEMPLATE, template("v2", List.of(version("v1", v1), version("v2", v2))));
    work(() -> worker.liveIn("q-") == PRESETS && worker.liveIn("p-") == 0);
    app.close(Duration.ofSeconds(60));

    assertThat(worker.duplicates).as("no command delivered twice").isEmpty();
    assertThat(worker.maxHeld)
        .as("never more than the budget on the queue")
        .isLessThanOrEqualTo(BUDGET);
    assertThat(worker.creates)
        .as("one create per preset, none lost or repeated")
        .isEqualTo(2 * PRESETS);
    assertThat(worker.deletes).isEqualTo(PRESETS);
    assertThat(worker.live.values()).allMatch(workspaces -> workspaces.size() <= 1);
  }

  private static TemplateSnapshot.Preset[] presets(String prefix) {
    TemplateSnapshot.Preset[] presets = new TemplateSnapshot.Preset[PRESETS];
    for (int i = 0; i < PRESETS; i++) {
      presets[i] = preset(prefix + String.format("%03d", i), 1);
    }
    return presets;
  }

  private static KafkaStreams start(Path stateDir) throws Exception {
    Properties props = BrokerStreams.config("prebuilds-admission-test", kafka.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    KafkaStreams streams =
        new KafkaStreams(
            PrebuildsTopology.build(
                TopologySettings.defaults(2).withAdmission(new AdmissionSettings(BUDGET)),
                TopologyMetrics.NONE),
            props);
    streams.start();
    work(() -> streams.state() == KafkaStreams.State.RUNNING);
    return streams;
  }

  /** Waits for the condition while the worker answers commands. */
  private static void work(BooleanSupplier done) {
    await()
        .atMost(Duration.ofSeconds(180))
        .until(
            () -> {
              worker.step();
              return done.getAsBoolean();
            });
  }

  private static void send(String key, Event data) {
    byte[] value =
        codec.encode(Envelope.of(SOURCE, "evt-" + System.nanoTime(), Instant.now(), data));
    producer.send(new ProducerRecord<>(Topics.TEMPLATES.name(), key, value));
    producer.flush();
  }

  /**
   * A provisioner worker: reads commands read_committed and answers every create and delete it
   * received before it polls again, so what it holds at once is what was dispatched at once.
   */
  private static final class Worker {

    final KafkaConsumer<String, byte[]> consumer = kafka.bytesConsumer(Topics.COMMANDS.name());
    final Set<String> seen = new HashSet<>();
    final List<String> duplicates = new ArrayList<>();
    final Map<String, Set<String>> live = new HashMap<>();
    int creates;
    int deletes;
    int maxHeld;

    void step() {
      List<Command> held = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        Command command = (Command) codec.decode(record.value()).orElseThrow().data();
        if (!seen.add(command.commandId())) {
          duplicates.add(command.commandId());
        }
        if (command instanceof CreatePrebuild || command instanceof DeletePrebuild) {
          held.add(command);
        }
      }
      maxHeld = Math.max(maxHeld, held.size());
      for (Command command : held) {
        answer(command);
      }
      producer.flush();
    }

    int liveIn(String prefix) {
      return (int)
          live.entrySet().stream()
              .filter(e -> e.getKey().startsWith(prefix))
              .mapToLong(e -> e.getValue().size())
              .sum();
    }

    private void answer(Command command) {
      if (command instanceof CreatePrebuild create) {
        creates++;
        live.computeIfAbsent(create.presetId(), k -> new HashSet<>()).add(create.workspaceId());
        build(
            create.presetId(),
            create.workspaceId(),
            1,
            create.commandId(),
            create.templateVersionId(),
            Transition.START);
      } else if (command instanceof DeletePrebuild delete) {
        deletes++;
        live.getOrDefault(delete.presetId(), new HashSet<>()).remove(delete.workspaceId());
        build(
            delete.presetId(),
            delete.workspaceId(),
            2,
            delete.commandId(),
            delete.templateVersionId(),
            Transition.DELETE);
      }
    }

    private void build(
        String presetId,
        String workspaceId,
        int number,
        String commandId,
        String versionId,
        Transition transition) {
      BuildCompleted build =
          new BuildCompleted(
              presetId,
              workspaceId,
              workspaceId + "-" + number,
              number,
              Optional.of(commandId),
              Optional.empty(),
              TopologyHarness.TEMPLATE,
              versionId,
              TopologyHarness.ORG,
              transition,
              BuildStatus.SUCCEEDED,
              Optional.empty(),
              TopologyHarness.SYSTEM_USER,
              Instant.now());
      byte[] value = codec.encode(Envelope.of(SOURCE, "build-" + commandId, Instant.now(), build));
      producer.send(new ProducerRecord<>(Topics.BUILDS.name(), presetId, value));
    }
  }
}
