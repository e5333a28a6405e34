package io.prebuilds.connect;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The sink's write path without Connect around it: decode a batch of records, keep only the latest
 * preset-state event per preset, and write everything in one transaction through the shared pool.
 * Records that can never be written come back as {@link Rejected}, with the reason, once the rest
 * is committed; the caller hands them to Connect's dead-letter queue.
 */
final class ReadModelSink implements AutoCloseable {

  /** What one batch did. */
  record Result(int changed, int unchanged, List<Rejected> rejected) {
    Result {
      rejected = List.copyOf(rejected);
    }
  }

  /** A record that can never be written, and why. */
  record Rejected(SinkRecord record, Exception reason) {}

  private final EventDecoder decoder;
  private final ReadModelWriter writer;
  private final SharedDatabase database;

  ReadModelSink(PostgresSinkConfig config) {
    DatabaseSettings settings = config.database();
    this.decoder = new EventDecoder(config.topics());
    this.writer = new ReadModelWriter(ReadModelSql.forSchema(settings.schema()));
    this.database = SharedDatabase.acquire(settings);
  }

  /**
   * Writes a batch in one transaction; returns after it committed.
   *
   * @throws SQLException if the transaction failed as a whole; nothing of the batch is written and
   *     {@link SqlFailure#classify} says whether to retry it
   */
  Result write(Collection<SinkRecord> records) throws SQLException, InterruptedException {
    List<ReadModelChange> changes = new ArrayList<>(records.size());
    Map<ReadModelChange, SinkRecord> recordOf = new IdentityHashMap<>();
    List<Rejected> rejected = new ArrayList<>();
    for (SinkRecord record : records) {
      try {
        ReadModelChange change = decoder.decode(record);
        changes.add(change);
        recordOf.put(change, record);
      } catch (InvalidEventException e) {
        rejected.add(new Rejected(record, e));
      }
    }
    List<ReadModelChange> latest = latestPerPreset(changes);
    if (latest.isEmpty()) {
      return new Result(0, 0, rejected);
    }
    ReadModelWriter.Outcome outcome = database.inTransaction(c -> writer.write(c, latest));
    for (ReadModelWriter.Refused refused : outcome.refused()) {
      rejected.add(
          new Rejected(
              recordOf.get(refused.change()),
              new InvalidEventException(
                  refused.change().position()
                      + ": PostgreSQL refused the values: "
                      + refused.reason().getMessage(),
                  refused.reason())));
    }
    int superseded = changes.size() - latest.size();
    return new Result(outcome.changed(), outcome.unchanged() + superseded, rejected);
  }

  /**
   * Of several events for one preset in a batch only the one at the highest offset matters (the
   * others would be overwritten in the same transaction); the rest keep their order. Events of one
   * preset from different partitions cannot be ordered and are all kept, for the database's guard
   * to judge.
   */
  static List<ReadModelChange> latestPerPreset(List<ReadModelChange> changes) {
    Map<PresetInPartition, ReadModelChange> latestByPreset = new HashMap<>();
    for (ReadModelChange change : changes) {
      PresetInPartition preset = presetKey(change);
      if (preset != null) {
        latestByPreset.merge(
            preset,
            change,
            (kept, candidate) -> kept.position().isBefore(candidate.position()) ? candidate : kept);
      }
    }
    List<ReadModelChange> latest = new ArrayList<>(changes.size());
    for (ReadModelChange change : changes) {
      PresetInPartition preset = presetKey(change);
      if (preset == null || latestByPreset.get(preset) == change) {
        latest.add(change);
      }
    }
    return latest;
  }

  private record PresetInPartition(String presetId, int partition) {}

  private static PresetInPartition presetKey(ReadModelChange change) {
    return change
        .presetStateOf()
        .map(preset -> new PresetInPartition(preset, change.position().partition()))
        .orElse(null);
  }

  @Override
  public void close() {
    database.release();
  }
}
