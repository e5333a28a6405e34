package io.prebuilds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.testing.KafkaBroker;
import io.prebuilds.testing.TestTemplates;

/**
 * Two instances of the service share the partitions (same application id, their own state
 * directories, {@code application.server} set to their HTTP address): {@code /api/v1/presets/{id}}
 * gives the same answer from either, because the instance that does not own the preset forwards the
 * lookup to the one that does, and {@code /api/v1/presets} from either lists every preset.
 */
class TwoInstancesApiTest {
  private static final int PARTITIONS = 4;
  private static final List<String> PRESETS =
      IntStream.range(0, 12).mapToObj(i -> "shared-%02d".formatted(i)).toList();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  @TempDir static Path directory;

  private static InProcessInstance first;
  private static InProcessInstance second;

  @BeforeAll
  static void start() throws Exception {
    kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(PARTITIONS, (short) 1)).toList());
    try (var admin = kafka.admin()) {
      await()
          .atMost(WAIT)
          .until(
              () ->
                  admin
                      .listTopics()
                      .names()
                      .get()
                      .containsAll(Topics.all().stream().map(TopicSpec::name).toList()));
    }
    first = InProcessInstance.start("first", settings("first"));
    second = InProcessInstance.start("second", settings("second"));
    var codec = EventCodec.create();
    var template =
        TestTemplates.withPresets(
            "tpl-shared", "org-shared", PRESETS.stream().collect(Collectors.toMap(p -> p, p -> 1)));
    try (var producer = kafka.bytesProducer()) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.TEMPLATES.name(),
                  template.templateId(),
                  codec.encode(
                      Envelope.of("/tests/two-instances", "template-1", Instant.now(), template))))
          .get();
    }
    await().atMost(WAIT).until(() -> ready(first) && ready(second));
  }

  @AfterAll
  static void stop() throws Exception {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  @Test
  void eachPresetAnswersTheSameFromEitherInstanceAndEachForwardsWhatItDoesNotOwn() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var owners = new HashMap<String, String>();
              for (String presetId : PRESETS) {
                var fromFirst = first.get("api/v1/presets/" + presetId);
                var fromSecond = second.get("api/v1/presets/" + presetId);
                assertThat(fromFirst.statusCode()).as("first, %s", presetId).isEqualTo(200);
                assertThat(fromSecond.statusCode()).as("second, %s", presetId).isEqualTo(200);
                JsonNode one = JSON.readTree(fromFirst.body());
                assertThat(JSON.readTree(fromSecond.body())).isEqualTo(one);
                assertThat(one.get("presetId").asText()).isEqualTo(presetId);
                assertThat(one.get("desired").asInt()).isEqualTo(1);
                owners.put(presetId, one.get("owner").asText());
              }
              // The owner field names the instance that answered: each instance answered some
              // presets itself and forwarded the others to the other instance.
              assertThat(owners.values())
                  .containsOnly(name(first), name(second))
                  .contains(name(first), name(second));
            });
  }

  @Test
  void theListFromEitherInstanceHasEveryPreset() {
    for (var instance : List.of(first, second)) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                var response = instance.get("api/v1/presets");
                assertThat(response.statusCode()).isEqualTo(200);
                JsonNode body = JSON.readTree(response.body());
                assertThat(body.get("complete").asBoolean()).isTrue();
                assertThat(body.get("instances")).hasSize(2);
                assertThat(body.get("presets"))
                    .extracting(p -> p.get("presetId").asText())
                    .containsExactlyInAnyOrderElementsOf(PRESETS);
              });
    }
  }

  private static boolean ready(InProcessInstance instance) throws Exception {
    return instance.get("readyz").statusCode() == 200;
  }

  private static String name(InProcessInstance instance) {
    return instance.base().getHost() + ":" + instance.base().getPort();
  }

  private static Map<String, String> settings(String name) throws Exception {
    int port = freePort();
    var settings = new HashMap<String, String>();
    settings.put("bootstrap.servers", kafka.bootstrapServers());
    settings.put("application.id", "prebuilds-two-instances");
    settings.put("client.id", name);
    settings.put("state.dir", Files.createDirectories(directory.resolve(name)).toString());
    settings.put("commit.interval.ms", "100");
    settings.put("num.standby.replicas", "0");
    settings.put("prebuilds.topics.partitions", Integer.toString(PARTITIONS));
    settings.put("prebuilds.topics.replication-factor", "1");
    settings.put("prebuilds.http.host", "127.0.0.1");
    settings.put("prebuilds.http.port", Integer.toString(port));
    settings.put("application.server", "127.0.0.1:" + port);
    settings.put("prebuilds.shutdown.timeout-seconds", "20");
    return settings;
  }

  private static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
