package io.prebuilds.topology;

import java.util.List;
import java.util.function.LongConsumer;

import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Writes a tombstone for a key nobody uses to each of a task's stores once per run, so that every
 * store has a committed changelog offset when the task closes cleanly.
 *
 * <p>Why: under exactly-once, Kafka Streams (4.3) checkpoints a store's changelog offset only if
 * the store wrote or restored a record in this run, or had an offset in the previous checkpoint. A
 * store that never got a record (claim results on a partition where nobody claimed yet, capacity
 * demands when no organization is capped) has none, and at the next start Kafka Streams takes the
 * whole task for corrupted: it wipes the task's directory and restores every store of it from the
 * changelogs, the preset state included, on every restart. A tombstone of an absent key changes no
 * store's contents and costs one small changelog record per store and run.
 *
 * <p>The stores every decision writes (preset state, due index) need no anchor: a partition with
 * presets always has their records in its changelogs.
 */
final class ChangelogAnchor {

  /** No event id, claim id, organization id or command id starts with a NUL character. */
  static final String KEY = "\u0000changelog-anchor";

  private final List<LongConsumer> tombstones;
  private boolean written;

  ChangelogAnchor(LongConsumer... tombstones) {
    this.tombstones = List.of(tombstones);
  }

  /** Writes the tombstones, the first time it is called; {@code now} is a window store's time. */
  void writeOnce(long now) {
    if (written) {
      return;
    }
    tombstones.forEach(tombstone -> tombstone.accept(now));
    written = true;
  }

  static LongConsumer keyValue(KeyValueStore<String, ?> store) {
    return now -> store.put(KEY, null);
  }

  static LongConsumer cached(CachedStore<String, ?> store) {
    return now -> store.delete(KEY);
  }

  static LongConsumer window(WindowStore<String, ?> store) {
    return now -> store.put(KEY, null, now);
  }
}
