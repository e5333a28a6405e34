package io.prebuilds.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops while records keep flowing into the sink and starts again a few seconds later:
 * afterwards every record is in the read model exactly once, and the task never failed.
 */
@ExtendWith(Infrastructure.Extension.class)
class PostgresOutageTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int PER_ROUND = 40;
  private static final int PRESETS = 8;

  @Test
  void recordsSentWhilePostgresIsDownLandExactlyOnceWhenItIsBack(
      Infrastructure infrastructure, @TempDir Path dataDirectory) throws Exception {
    EmbeddedPostgres postgres = startPostgres(dataDirectory, 0);
    int port = postgres.getPort();
    String name = infrastructure.uniqueName("outage");
    TestDatabase database = Infrastructure.createDatabase(postgres, name);
    try (var sink = TestSink.start(infrastructure, name, database, 2, 1, Map.of())) {
      sendRound(infrastructure, sink, 0);
      sink.awaitCaughtUp();
      double readBeforeOutage = recordsRead(sink);

      Infrastructure.closePostgres(postgres);
      sendRound(infrastructure, sink, 1);
      await()
          .atMost(TIMEOUT)
          .alias("the sink was handed records while PostgreSQL is down")
          .until(() -> recordsRead(sink) > readBeforeOutage);
      postgres = startPostgres(dataDirectory, port);
      sendRound(infrastructure, sink, 2);

      sink.awaitCaughtUp();
      sink.awaitRunning();
      Map<TopicPartition, Long> ends = sink.endOffsets();
      assertExactlyOnce(database, "claim_result", sink.claimResultsTopic, ends);
      assertExactlyOnce(database, "notification", sink.notificationsTopic, ends);
      assertThat(database.count("claim_result")).isEqualTo(3 * PER_ROUND);
      assertThat(database.count("notification")).isEqualTo(3 * PER_ROUND);
      assertThat(database.rows("SELECT preset_id, running FROM prebuilds.preset_state ORDER BY 1"))
          .as("every preset holds its last state")
          .isEqualTo(lastStates());
    } finally {
      Infrastructure.closePostgres(postgres);
    }
  }

  private static EmbeddedPostgres startPostgres(Path dataDirectory, int port) throws Exception {
    var builder =
        EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false);
    if (port > 0) {
      builder.setPort(port);
    }
    return builder.start();
  }

  /** Sends round {@code r}: {@link #PER_ROUND} claims, notifications and preset states. */
  private static void sendRound(Infrastructure infrastructure, TestSink sink, int round) {
    for (int i = round * PER_ROUND; i < (round + 1) * PER_ROUND; i++) {
      infrastructure.send(sink.claimResultsTopic, "c-" + i, Events.claimed("c-" + i, "p-1"));
      infrastructure.send(
          sink.notificationsTopic, "n-" + i, Events.notification("n-" + i, "p-" + i % PRESETS));
      String preset = "p-" + i % PRESETS;
      infrastructure.send(
          sink.presetStateTopic, preset, Events.presetState(preset, "normal", 3, i));
    }
  }

  private static List<Map<String, Object>> lastStates() {
    int sent = 3 * PER_ROUND;
    return java.util.stream.IntStream.range(0, PRESETS)
        .mapToObj(
            p -> {
              Map<String, Object> row = new HashMap<>();
              row.put("preset_id", "p-" + p);
              row.put("running", sent - PRESETS + p);
              return row;
            })
        .sorted((a, b) -> ((String) a.get("preset_id")).compareTo((String) b.get("preset_id")))
        .toList();
  }

  /** Every offset of every partition of {@code topic} is in {@code table} once, no other. */
  private static void assertExactlyOnce(
      TestDatabase database, String table, String topic, Map<TopicPartition, Long> ends) {
    Map<Integer, Long> expected =
        ends.entrySet().stream()
            .filter(e -> e.getKey().topic().equals(topic))
            .collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
    List<Map<String, Object>> rows =
        database.rows(
            "SELECT source_partition, count(*) AS rows, count(DISTINCT source_offset) AS offsets,"
                + " min(source_offset) AS first, max(source_offset) AS last FROM prebuilds."
                + table
                + " GROUP BY source_partition");
    assertThat(rows).hasSize(expected.size());
    for (Map<String, Object> row : rows) {
      long end = expected.get((Integer) row.get("source_partition"));
      assertThat(row)
          .as("partition %s of %s", row.get("source_partition"), topic)
          .containsEntry("rows", end)
          .containsEntry("offsets", end)
          .containsEntry("first", 0L)
          .containsEntry("last", end - 1);
    }
  }

  /** Connect's own count of records the sink task has read from Kafka. */
  private static double recordsRead(TestSink sink) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    double read = 0;
    for (ObjectName task :
        server.queryNames(
            new ObjectName(
                "kafka.connect:type=sink-task-metrics,connector=" + sink.name + ",task=*"),
            null)) {
      read += (Double) server.getAttribute(task, "sink-record-read-total");
    }
    return read;
  }
}
