package io.prebuilds.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sink as deployed: a real broker, a real Connect worker running the connector with the example
 * config of {@code deploy/connect/}, and a real PostgreSQL.
 */
@ExtendWith(Infrastructure.Extension.class)
class ReadModelSinkEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static Infrastructure infrastructure;

  @BeforeAll
  static void shareInfrastructure(Infrastructure shared) {
    infrastructure = shared;
  }

  @Test
  void recordsOfAllThreeTopicsLandWithTheirValues() {
    try (var sink = TestSink.start(infrastructure, 1, 1, Map.of())) {
      infrastructure.send(
          sink.presetStateTopic, "p-1", Events.presetState("p-1", "hard_limited", 3, 1));
      infrastructure.send(sink.notificationsTopic, "n-1", Events.notification("n-1", "p-1"));
      infrastructure.send(sink.claimResultsTopic, "c-1", Events.claimed("c-1", "p-1"));
      infrastructure.send(sink.claimResultsTopic, "c-2", Events.noPrebuildAvailable("c-2", "p-1"));

      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  sink.database.count("preset_state") == 1
                      && sink.database.count("notification") == 1
                      && sink.database.count("claim_result") == 2);

      Map<String, Object> preset =
          sink.database
              .rows(
                  "SELECT preset_id, preset_name, template_id, template_name, organization_id,"
                      + " organization_name, active, status::text AS status, desired, running,"
                      + " eligible, updated_at, data->>'quarantined' AS quarantined,"
                      + " data->'counters'->>'createdTotal' AS created_total, source_partition,"
                      + " source_offset FROM prebuilds.preset_state")
              .get(0);
      assertThat(preset)
          .containsEntry("preset_id", "p-1")
          .containsEntry("preset_name", "name of p-1")
          .containsEntry("template_id", "template-1")
          .containsEntry("template_name", "dev box")
          .containsEntry("organization_id", "org-1")
          .containsEntry("organization_name", "acme")
          .containsEntry("active", true)
          .containsEntry("status", "hard_limited")
          .containsEntry("desired", 3)
          .containsEntry("running", 1)
          .containsEntry("eligible", 1)
          .containsEntry("quarantined", "false")
          .containsEntry("created_total", "1")
          .containsEntry("source_partition", 0)
          .containsEntry("source_offset", 0L);
      assertThat(((Timestamp) preset.get("updated_at")).toInstant())
          .isEqualTo(Events.T0.plusSeconds(1));

      assertThat(
              sink.database.rows(
                  "SELECT notification_id, event_type, kind, preset_id, template_id,"
                      + " organization_id, recipients->0->>'username' AS recipient"
                      + " FROM prebuilds.notification"))
          .containsExactly(
              Map.of(
                  "notification_id", "n-1",
                  "event_type", "prebuilds.notification.failure-limit-reached.v1",
                  "kind", "failure-limit-reached",
                  "preset_id", "p-1",
                  "template_id", "template-1",
                  "organization_id", "org-1",
                  "recipient", "admin"));

      assertThat(
              sink.database.rows(
                  "SELECT claim_id, outcome::text AS outcome, workspace_id, user_id, reason,"
                      + " data->'lifecycle'->>'ttlSeconds' AS ttl"
                      + " FROM prebuilds.claim_result ORDER BY claim_id"))
          .containsExactly(
              row(
                  "claim_id",
                  "c-1",
                  "outcome",
                  "claimed",
                  "workspace_id",
                  "ws-c-1",
                  "user_id",
                  "user-c-1",
                  "reason",
                  null,
                  "ttl",
                  "3600"),
              row(
                  "claim_id",
                  "c-2",
                  "outcome",
                  "no-prebuild-available",
                  "workspace_id",
                  null,
                  "user_id",
                  null,
                  "reason",
                  "none-eligible",
                  "ttl",
                  null));
    }
  }

  @Test
  void redeliveryFromTheStartWritesNoRowAgainAndOlderStatesNeverOverwriteNewer() {
    try (var sink = TestSink.start(infrastructure, 2, 1, Map.of())) {
      for (int version = 1; version <= 3; version++) {
        for (String preset : List.of("p-1", "p-2", "p-3")) {
          infrastructure.send(
              sink.presetStateTopic, preset, Events.presetState(preset, "normal", 3, version));
        }
      }
      infrastructure.send(sink.notificationsTopic, "n-1", Events.notification("n-1", "p-1"));
      infrastructure.send(sink.claimResultsTopic, "c-1", Events.claimed("c-1", "p-1"));
      sink.awaitCaughtUp();
      List<Map<String, Object>> before = snapshot(sink);
      assertThat(before).hasSize(5);
      assertThat(sink.database.rows("SELECT DISTINCT running FROM prebuilds.preset_state"))
          .containsExactly(Map.of("running", 3));

      sink.redeliverEverything();
      sink.awaitCaughtUp();

      assertThat(snapshot(sink))
          .as("every row is the same row version (xmin): nothing was rewritten")
          .isEqualTo(before);
    }
  }

  @Test
  void tombstoneDeletesThePresetAndRedeliveryDoesNotBringItBack() {
    try (var sink = TestSink.start(infrastructure, 1, 1, Map.of())) {
      infrastructure.send(sink.presetStateTopic, "p-1", Events.presetState("p-1", "normal", 2, 1));
      infrastructure.send(sink.presetStateTopic, "p-1", Events.presetState("p-1", "normal", 2, 2));
      infrastructure.send(sink.presetStateTopic, "p-2", Events.presetState("p-2", "normal", 1, 1));
      infrastructure.send(sink.presetStateTopic, "p-1", null);
      sink.awaitCaughtUp();
      assertThat(sink.database.rows("SELECT preset_id FROM prebuilds.preset_state"))
          .containsExactly(Map.of("preset_id", "p-2"));
      assertThat(
              sink.database.rows(
                  "SELECT preset_id, source_offset FROM prebuilds.preset_state_tombstone"))
          .containsExactly(Map.of("preset_id", "p-1", "source_offset", 3L));

      sink.redeliverEverything();
      sink.awaitCaughtUp();

      assertThat(sink.database.rows("SELECT preset_id FROM prebuilds.preset_state"))
          .containsExactly(Map.of("preset_id", "p-2"));
    }
  }

  @Test
  void recordsOfAbortedTransactionsNeverLand() {
    try (var sink = TestSink.start(infrastructure, 1, 1, Map.of())) {
      Properties properties = Infrastructure.producerProperties(infrastructure.bootstrapServers());
      properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, sink.name + "-tx");
      try (var producer = new KafkaProducer<String, String>(properties)) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(
            new ProducerRecord<>(sink.claimResultsTopic, "c-1", Events.claimed("c-1", "p-1")));
        producer.commitTransaction();
        producer.beginTransaction();
        producer.send(
            new ProducerRecord<>(sink.claimResultsTopic, "c-2", Events.claimed("c-2", "p-1")));
        producer.send(
            new ProducerRecord<>(
                sink.presetStateTopic, "p-1", Events.presetState("p-1", "normal", 1, 1)));
        producer.flush();
        producer.abortTransaction();
        producer.beginTransaction();
        producer.send(
            new ProducerRecord<>(sink.claimResultsTopic, "c-3", Events.claimed("c-3", "p-1")));
        producer.commitTransaction();
      }

      await()
          .atMost(TIMEOUT)
          .ignoreExceptions()
          .until(
              () ->
                  !sink.database
                      .rows("SELECT 1 FROM prebuilds.claim_result WHERE claim_id = 'c-3'")
                      .isEmpty());
      assertThat(sink.database.rows("SELECT claim_id FROM prebuilds.claim_result ORDER BY 1"))
          .containsExactly(Map.of("claim_id", "c-1"), Map.of("claim_id", "c-3"));
      assertThat(sink.database.count("preset_state")).isZero();
    }
  }

  @Test
  void recordsThatCanNeverBeWrittenGoToTheDeadLetterQueueAndTheRestLand() {
    try (var sink = TestSink.start(infrastructure, 1, 1, Map.of())) {
      infrastructure.send(sink.claimResultsTopic, "c-1", Events.claimed("c-1", "p-1"));
      infrastructure.send(sink.claimResultsTopic, "c-2", "{\"specversion\": \"1.0\", \"type\":");
      infrastructure.send(sink.presetStateTopic, "p-1", Events.presetState("p-1", "sleepy", 1, 1));
      infrastructure.send(
          sink.presetStateTopic,
          "p-2",
          Events.presetState("p-2", "normal", 1, 1).replace("name of p-2", "bad \\u0000 name"));
      infrastructure.send(sink.claimResultsTopic, "c-3", Events.claimed("c-3", "p-1"));
      infrastructure.send(sink.presetStateTopic, "p-3", Events.presetState("p-3", "normal", 1, 1));

      List<ConsumerRecord<String, String>> dead = readDeadLetters(sink, 3);

      assertThat(dead)
          .extracting(r -> header(r, "__connect.errors.exception.message"))
          .satisfiesExactlyInAnyOrder(
              m -> assertThat(m).contains("key 'c-2'").contains("not valid JSON"),
              m -> assertThat(m).contains("key 'p-1'").contains("data.status \"sleepy\""),
              m -> assertThat(m).contains("[0]@1").contains("PostgreSQL refused the values"));
      assertThat(dead)
          .extracting(ConsumerRecord::key)
          .containsExactlyInAnyOrder("c-2", "p-1", "p-2");
      await()
          .atMost(TIMEOUT)
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(
                        sink.database.rows(
                            "SELECT claim_id FROM prebuilds.claim_result ORDER BY 1"))
                    .containsExactly(Map.of("claim_id", "c-1"), Map.of("claim_id", "c-3"));
                assertThat(sink.database.rows("SELECT preset_id FROM prebuilds.preset_state"))
                    .containsExactly(Map.of("preset_id", "p-3"));
              });
      sink.awaitRunning();
    }
  }

  @Test
  void fourTasksStartingTogetherMigrateOnceAndShareAPoolOfFourWithAtMostTwoWriters() {
    try (var sink = TestSink.start(infrastructure, 4, 4, Map.of("pool.size", "4"))) {
      for (int i = 0; i < 200; i++) {
        infrastructure.send(sink.claimResultsTopic, "c-" + i, Events.claimed("c-" + i, "p-1"));
      }
      for (int i = 0; i < 40; i++) {
        infrastructure.send(
            sink.presetStateTopic, "p-" + i, Events.presetState("p-" + i, "normal", 1, 1));
      }
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  sink.database.count("claim_result") == 200
                      && sink.database.count("preset_state") == 40);

      assertThat(
              sink.database.rows(
                  "SELECT version, count(*) AS applied FROM prebuilds.flyway_schema_history"
                      + " WHERE version IS NOT NULL GROUP BY version"))
          .isNotEmpty()
          .allSatisfy(row -> assertThat(row).containsEntry("applied", 1L));
      assertThat(
              sink.database.rows(
                  "SELECT count(*) AS connections FROM pg_stat_activity"
                      + " WHERE datname = current_database()"
                      + " AND application_name = 'prebuilds-postgres-sink'"))
          .allSatisfy(row -> assertThat((Long) row.get("connections")).isBetween(1L, 4L));
      SharedDatabase shared = SharedDatabase.acquire(sink.database.settings(4));
      try {
        assertThat(shared.peakWriters()).isBetween(1, 2);
      } finally {
        shared.release();
      }
    }
  }

  private static List<Map<String, Object>> snapshot(TestSink sink) {
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.addAll(
        sink.database.rows(
            "SELECT preset_id AS id, xmin::text AS version, written_at, data::text AS data"
                + " FROM prebuilds.preset_state ORDER BY preset_id"));
    rows.addAll(
        sink.database.rows(
            "SELECT notification_id AS id, xmin::text AS version, written_at, data::text AS data"
                + " FROM prebuilds.notification ORDER BY notification_id"));
    rows.addAll(
        sink.database.rows(
            "SELECT claim_id AS id, xmin::text AS version, written_at, data::text AS data"
                + " FROM prebuilds.claim_result ORDER BY claim_id"));
    return rows;
  }

  private static List<ConsumerRecord<String, String>> readDeadLetters(TestSink sink, int expected) {
    var properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, sink.name + "-dlq-reader");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    properties.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, String>(properties)) {
      consumer.subscribe(List.of(sink.deadLetterTopic));
      await()
          .atMost(TIMEOUT)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
              });
    }
    return records;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> row = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      row.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return row;
  }
}
