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
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.GlobalSettings;
import io.prebuilds.schemas.event.Keys;
import io.prebuilds.schemas.event.PresetSnapshot;
import io.prebuilds.testing.KafkaBroker;

/**
 * The global pause reaches every instance: with two instances sharing the partitions, nothing is
 * created while paused (each preset's state says so), and after resume every preset, whichever
 * instance owns it, fills promptly.
 */
class PauseOnBrokerTest {

  private static final int PARTITIONS = 4;
  private static final List<String> PRESETS = List.of("pa", "pb", "pc", "pd", "pe", "pf");

  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  private final EventCodec codec = EventCodec.create();
  private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
  private int sequence;

  @Test
  void pauseAndResumeReachEveryInstance() throws Exception {
    kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(PARTITIONS, (short) 1)).toList());
    try (var producer = kafka.bytesProducer();
        var consumer = kafka.bytesConsumer(Topics.COMMANDS.name(), Topics.PRESET_STATE.name());
        KafkaStreams first = start("one");
        KafkaStreams second = start("two")) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  first.state() == KafkaStreams.State.RUNNING
                      && second.state() == KafkaStreams.State.RUNNING
                      && !first.metadataForLocalThreads().iterator().next().activeTasks().isEmpty()
                      && !second
                          .metadataForLocalThreads()
                          .iterator()
                          .next()
                          .activeTasks()
                          .isEmpty());

      send(
          producer,
          Topics.SETTINGS.name(),
          Keys.GLOBAL,
          new GlobalSettings(true, "ops", Instant.now()));
      send(
          producer,
          Topics.TEMPLATES.name(),
          TopologyHarness.TEMPLATE,
          template(
              "v1",
              List.of(
                  version(
                      "v1",
                      PRESETS.stream()
                          .map(id -> preset(id, 1))
                          .toArray(io.prebuilds.schemas.event.TemplateSnapshot.Preset[]::new)))));

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                poll(consumer);
                assertThat(
                        states().stream()
                            .filter(PresetSnapshot::paused)
                            .map(PresetSnapshot::presetId))
                    .containsAll(PRESETS);
              });
      assertThat(creates()).isEmpty();

      send(
          producer,
          Topics.SETTINGS.name(),
          Keys.GLOBAL,
          new GlobalSettings(false, "ops", Instant.now()));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                poll(consumer);
                assertThat(creates().stream().map(CreatePrebuild::presetId).distinct())
                    .containsExactlyInAnyOrderElementsOf(PRESETS);
              });
    }
  }

  private KafkaStreams start(String name) throws Exception {
    Properties props = BrokerStreams.config("prebuilds-pause-test", kafka.bootstrapServers());
    KafkaStreams streams =
        new KafkaStreams(
            PrebuildsTopology.build(TopologySettings.defaults(PARTITIONS), TopologyMetrics.NONE),
            props);
    streams.start();
    return streams;
  }

  private List<CreatePrebuild> creates() {
    return decoded(Topics.COMMANDS.name()).stream()
        .filter(CreatePrebuild.class::isInstance)
        .map(CreatePrebuild.class::cast)
        .toList();
  }

  private List<PresetSnapshot> states() {
    return decoded(Topics.PRESET_STATE.name()).stream()
        .filter(PresetSnapshot.class::isInstance)
        .map(PresetSnapshot.class::cast)
        .toList();
  }

  private List<Event> decoded(String topic) {
    return seen.stream()
        .filter(r -> r.topic().equals(topic) && r.value() != null)
        .map(r -> (Event) codec.decode(r.value()).orElseThrow().data())
        .toList();
  }

  private void poll(KafkaConsumer<String, byte[]> consumer) {
    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
  }

  private void send(KafkaProducer<String, byte[]> producer, String topic, String key, Event data) {
    producer.send(
        new ProducerRecord<>(
            topic,
            key,
            codec.encode(Envelope.of("/pause-test", "e-" + (++sequence), Instant.now(), data))));
    producer.flush();
  }
}
