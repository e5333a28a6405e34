package io.prebuilds.connect;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Rows per second of the sink's write path ({@link ReadModelSink#write}: decode and validate the
 * envelope, keep the latest per preset, take a writer slot and a pooled connection, batch, commit)
 * against a plain batched JDBC upsert of the same records: one open connection, the same
 * preset-state upsert statement, the same batch size, fields read with Jackson, one commit per
 * batch. Both start from the same already-fetched {@link SinkRecord}s and write to identical
 * databases of one PostgreSQL; rounds alternate between the two (and which goes first) so load from
 * elsewhere on the machine hits both alike. Every round carries new offsets, so every row is really
 * updated by both.
 *
 * <p>Arguments (all optional): {@code batch=500 presets=2000 warmup=20 rounds=100}.
 */
public final class SinkWriteBenchmark {

  private static final String TOPIC = "prebuilds.preset-state.v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SinkWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> options = options(args);
    int batchSize = options.get("batch");
    int presets = options.get("presets");
    int warmup = options.get("warmup");
    int rounds = options.get("rounds");

    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      String sinkUrl = database(postgres, "bench_sink");
      String plainUrl = database(postgres, "bench_plain");
      var sinkConfig = new PostgresSinkConfig(Map.of("connection.url", sinkUrl, "pool.size", "4"));
      Migrations.apply(sinkConfig.database());
      Migrations.apply(new PostgresSinkConfig(Map.of("connection.url", plainUrl)).database());

      long sinkNanos = 0;
      long plainNanos = 0;
      long rows = 0;
      try (var sink = new ReadModelSink(sinkConfig);
          var plain = new PlainUpsert(plainUrl)) {
        for (int round = 0; round < warmup + rounds; round++) {
          List<SinkRecord> batch = batch(round, batchSize, presets);
          long sinkTime;
          long plainTime;
          if (round % 2 == 0) {
            sinkTime = timeSink(sink, batch);
            plainTime = timePlain(plain, batch);
          } else {
            plainTime = timePlain(plain, batch);
            sinkTime = timeSink(sink, batch);
          }
          if (round >= warmup) {
            sinkNanos += sinkTime;
            plainNanos += plainTime;
            rows += batch.size();
          }
        }
      }
      double sinkRate = rows / (sinkNanos / 1e9);
      double plainRate = rows / (plainNanos / 1e9);
      System.out.printf(
          "preset-state upserts: batch=%d presets=%d warmup=%d rounds=%d rows=%d%n",
          batchSize, presets, warmup, rounds, rows);
      System.out.printf("  sink write path : %,10.0f rows/s%n", sinkRate);
      System.out.printf("  plain JDBC batch: %,10.0f rows/s%n", plainRate);
      System.out.printf("  ratio sink/plain: %.2f (goal >= 0.70)%n", sinkRate / plainRate);
    }
  }

  private static long timeSink(ReadModelSink sink, List<SinkRecord> batch) throws Exception {
    long start = System.nanoTime();
    ReadModelSink.Result result = sink.write(batch);
    long elapsed = System.nanoTime() - start;
    if (result.changed() != batch.size()) {
      throw new IllegalStateException("sink changed " + result.changed() + " of " + batch.size());
    }
    return elapsed;
  }

  private static long timePlain(PlainUpsert plain, List<SinkRecord> batch) throws Exception {
    long start = System.nanoTime();
    int changed = plain.write(batch);
    long elapsed = System.nanoTime() - start;
    if (changed != batch.size()) {
      throw new IllegalStateException("plain changed " + changed + " of " + batch.size());
    }
    return elapsed;
  }

  /** Round {@code r}: one state for each of {@code size} consecutive presets, at new offsets. */
  private static List<SinkRecord> batch(int round, int size, int presets) {
    List<SinkRecord> records = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      long offset = (long) round * size + i;
      String presetId = "preset-" + (offset % presets);
      records.add(
          new SinkRecord(TOPIC, 0, null, presetId, null, presetState(presetId, round), offset));
    }
    return records;
  }

  private static String presetState(String presetId, int round) {
    ObjectNode data = JSON.createObjectNode();
    data.put("presetId", presetId)
        .put("presetName", "name of " + presetId)
        .put("templateId", "template-" + presetId.hashCode() % 50)
        .put("templateName", "template")
        .put("templateVersionId", "version-1")
        .put("organizationId", "org-1")
        .put("organizationName", "acme")
        .put("active", true)
        .put("status", "normal")
        .put("quarantined", false)
        .put("paused", false)
        .put("desired", 5)
        .put("running", round % 6)
        .put("eligible", round % 5)
        .put("starting", 0)
        .put("stopping", 0)
        .put("deleting", 0)
        .put("expired", 0)
        .put("extraneous", 0)
        .put("timedOut", 0)
        .put("updatedAt", Instant.parse("2025-01-01T00:00:00Z").plusSeconds(round).toString());
    data.putObject("counters")
        .put("createdTotal", round)
        .put("failedTotal", 0)
        .put("claimedTotal", 0)
        .put("resourceReplacementsTotal", 0);
    data.putArray("explanation").add("desired 5, running " + round % 6);
    ObjectNode envelope = JSON.createObjectNode();
    envelope
        .put("specversion", "1.0")
        .put("id", presetId + "-" + round)
        .put("type", "prebuilds.preset.state.v1")
        .put("source", "/prebuilds-streams/bench")
        .put("time", "2025-01-01T00:00:00Z")
        .put("subject", presetId)
        .put("datacontenttype", "application/json")
        .set("data", data);
    return envelope.toString();
  }

  /** The baseline: what a hand-written batched JDBC upsert of these records would do. */
  private static final class PlainUpsert implements AutoCloseable {
    private final Connection connection;
    private final String upsert = ReadModelSql.forSchema("prebuilds").upsertPresetState();

    PlainUpsert(String url) throws SQLException {
      connection = DriverManager.getConnection(url);
      connection.setAutoCommit(false);
    }

    int write(List<SinkRecord> records) throws Exception {
      int changed = 0;
      try (PreparedStatement statement = connection.prepareStatement(upsert)) {
        for (SinkRecord record : records) {
          JsonNode data = JSON.readTree((String) record.value()).get("data");
          String presetId = data.get("presetId").asText();
          statement.setString(1, presetId);
          statement.setString(2, data.get("presetName").asText());
          statement.setString(3, data.get("templateId").asText());
          statement.setString(4, data.get("templateName").asText());
          statement.setString(5, data.get("templateVersionId").asText());
          statement.setString(6, data.get("organizationId").asText());
          statement.setString(7, data.get("organizationName").asText());
          statement.setBoolean(8, data.get("active").asBoolean());
          statement.setString(9, data.get("status").asText());
          statement.setInt(10, data.get("desired").asInt());
          statement.setInt(11, data.get("running").asInt());
          statement.setInt(12, data.get("eligible").asInt());
          statement.setObject(
              13,
              OffsetDateTime.parse(data.get("updatedAt").asText())
                  .withOffsetSameInstant(ZoneOffset.UTC));
          statement.setString(14, data.toString());
          statement.setInt(15, record.kafkaPartition());
          statement.setLong(16, record.kafkaOffset());
          statement.setString(17, presetId);
          statement.setInt(18, record.kafkaPartition());
          statement.setLong(19, record.kafkaOffset());
          statement.addBatch();
        }
        for (int count : statement.executeBatch()) {
          changed += count == Statement.SUCCESS_NO_INFO ? 1 : count;
        }
      }
      connection.commit();
      return changed;
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }

  private static String database(EmbeddedPostgres postgres, String name) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name + "?user=postgres";
  }

  private static Map<String, Integer> options(String[] args) {
    Map<String, Integer> options =
        new java.util.HashMap<>(Map.of("batch", 500, "presets", 2000, "warmup", 20, "rounds", 100));
    for (String arg : args) {
      String[] pair = arg.split("=", 2);
      if (pair.length != 2 || !options.containsKey(pair[0])) {
        throw new IllegalArgumentException(
            "unknown argument " + arg + "; use batch=, presets=, warmup=, rounds=");
      }
      options.put(pair[0], Integer.parseInt(pair[1]));
    }
    return options;
  }
}
