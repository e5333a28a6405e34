package io.prebuilds.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The write path below Connect (decode, keep the latest per preset, one guarded transaction)
 * against a real PostgreSQL, with records delivered in the orders Connect can deliver them after a
 * rebalance or a restart.
 */
@ExtendWith(Infrastructure.Extension.class)
class ReadModelSinkTest {

  private static final String PRESET_STATE = "prebuilds.preset-state.v1";
  private static final String CLAIM_RESULTS = "prebuilds.claim-results.v1";

  private TestDatabase database;
  private ReadModelSink sink;

  @BeforeEach
  void openSink(Infrastructure infrastructure) {
    database = infrastructure.createDatabase(infrastructure.uniqueName("writer"));
    sink =
        new ReadModelSink(
            new PostgresSinkConfig(
                Map.of("connection.url", database.jdbcUrl(), "connection.timeout.ms", "1000")));
  }

  @AfterEach
  void closeSink() {
    sink.close();
  }

  @Test
  void anOlderStateArrivingAfterANewerOneLeavesTheNewerRow() throws Exception {
    write(state("p-1", 0, 5, 5));
    ReadModelSink.Result older = write(state("p-1", 0, 3, 3));

    assertThat(older.changed()).isZero();
    assertThat(older.unchanged()).isEqualTo(1);
    assertThat(presets())
        .containsExactly(Map.of("preset_id", "p-1", "running", 5, "source_offset", 5L));
  }

  @Test
  void ofSeveralStatesOfOnePresetInABatchTheLatestIsWritten() throws Exception {
    ReadModelSink.Result result =
        write(
            state("p-1", 0, 1, 1),
            state("p-2", 0, 2, 1),
            state("p-1", 0, 3, 3),
            state("p-1", 0, 4, 2));

    assertThat(result.changed()).isEqualTo(2);
    assertThat(result.unchanged()).isEqualTo(2);
    assertThat(presets())
        .containsExactly(
            Map.of("preset_id", "p-1", "running", 2, "source_offset", 4L),
            Map.of("preset_id", "p-2", "running", 1, "source_offset", 2L));
  }

  @Test
  void aTombstoneDeletesThePresetAndAnOlderStateDoesNotBringItBack() throws Exception {
    write(state("p-1", 0, 1, 1));
    write(tombstone("p-1", 0, 4));
    ReadModelSink.Result older = write(state("p-1", 0, 2, 2));

    assertThat(older.changed()).isZero();
    assertThat(presets()).isEmpty();

    write(state("p-1", 0, 6, 3));
    assertThat(presets())
        .as("a later state (the preset was defined again) does land")
        .containsExactly(Map.of("preset_id", "p-1", "running", 3, "source_offset", 6L));
  }

  @Test
  void aTombstoneOlderThanTheRowDoesNotDeleteIt() throws Exception {
    write(state("p-1", 0, 7, 7));
    write(tombstone("p-1", 0, 4));

    assertThat(presets())
        .containsExactly(Map.of("preset_id", "p-1", "running", 7, "source_offset", 7L));
  }

  @Test
  void aStateFromAnotherPartitionCannotBeOrderedAndLeavesTheRow() throws Exception {
    write(state("p-1", 0, 5, 5));
    write(state("p-1", 1, 9, 9));

    assertThat(presets())
        .containsExactly(Map.of("preset_id", "p-1", "running", 5, "source_offset", 5L));
  }

  @Test
  void aRedeliveredBatchChangesNothing() throws Exception {
    SinkRecord[] batch = {
      state("p-1", 0, 1, 1), tombstone("p-2", 0, 2), claim("c-1", 0, 0), claim("c-2", 0, 1)
    };
    ReadModelSink.Result first = write(batch);
    List<Map<String, Object>> before =
        database.rows("SELECT claim_id, xmin::text AS v FROM prebuilds.claim_result ORDER BY 1");

    ReadModelSink.Result again = write(batch);

    assertThat(first.changed()).isEqualTo(3);
    assertThat(again.changed()).isZero();
    assertThat(again.unchanged()).isEqualTo(4);
    assertThat(
            database.rows(
                "SELECT claim_id, xmin::text AS v FROM prebuilds.claim_result ORDER BY 1"))
        .isEqualTo(before);
  }

  @Test
  void recordsTheDatabaseRefusesAreSingledOutAndTheRestIsWritten() throws Exception {
    SinkRecord refused =
        record(
            CLAIM_RESULTS,
            0,
            1,
            "c-2",
            Events.claimed("c-2", "p-1").replace("ws-c-2", "ws\\u0000"));
    ReadModelSink.Result result = write(claim("c-1", 0, 0), refused, claim("c-3", 0, 2));

    assertThat(result.changed()).isEqualTo(2);
    assertThat(result.rejected()).hasSize(1);
    assertThat(result.rejected().get(0).record()).isSameAs(refused);
    assertThat(result.rejected().get(0).reason())
        .hasMessageStartingWith(CLAIM_RESULTS + "[0]@1: PostgreSQL refused the values");
    assertThat(database.rows("SELECT claim_id FROM prebuilds.claim_result ORDER BY 1"))
        .containsExactly(Map.of("claim_id", "c-1"), Map.of("claim_id", "c-3"));
  }

  @Test
  void invalidEventsComeBackRejectedAndTheRestIsWritten() throws Exception {
    SinkRecord invalid = record(CLAIM_RESULTS, 0, 1, "c-2", "[]");
    ReadModelSink.Result result = write(claim("c-1", 0, 0), invalid);

    assertThat(result.changed()).isEqualTo(1);
    assertThat(result.rejected())
        .extracting(ReadModelSink.Rejected::record)
        .containsExactly(invalid);
    assertThat(result.rejected().get(0).reason()).isInstanceOf(InvalidEventException.class);
  }

  @Test
  void anUnreachableDatabaseIsATransientFailureEvenBeforeTheSchemaIsMigrated() {
    var unreachable =
        new ReadModelSink(
            new PostgresSinkConfig(
                Map.of(
                    "connection.url", "jdbc:postgresql://127.0.0.1:1/prebuilds?user=postgres",
                    "connection.timeout.ms", "250")));
    try {
      assertThatThrownBy(() -> unreachable.write(List.of(claim("c-1", 0, 0))))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(SqlFailure.classify(e)).isEqualTo(SqlFailure.TRANSIENT));
    } finally {
      unreachable.close();
    }
  }

  private ReadModelSink.Result write(SinkRecord... records) throws Exception {
    return sink.write(List.of(records));
  }

  private List<Map<String, Object>> presets() {
    return database.rows(
        "SELECT preset_id, running, source_offset FROM prebuilds.preset_state ORDER BY 1");
  }

  private static SinkRecord state(String presetId, int partition, long offset, int running) {
    return record(
        PRESET_STATE,
        partition,
        offset,
        presetId,
        Events.presetState(presetId, "normal", 5, running));
  }

  private static SinkRecord tombstone(String presetId, int partition, long offset) {
    return record(PRESET_STATE, partition, offset, presetId, null);
  }

  private static SinkRecord claim(String claimId, int partition, long offset) {
    return record(CLAIM_RESULTS, partition, offset, claimId, Events.claimed(claimId, "p-1"));
  }

  private static SinkRecord record(
      String topic, int partition, long offset, String key, String value) {
    return new SinkRecord(topic, partition, null, key, null, value, offset);
  }
}
