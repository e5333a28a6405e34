package io.prebuilds.topology;

import java.util.List;

import org.apache.kafka.streams.state.WindowStore;

/**
 * Writes a tombstone for a key nobody uses to each of a task's window stores once per run, so that
 * each has a committed changelog offset when the task closes cleanly.
 *
 * <p>Why: under exactly-once, Kafka Streams 4.3 checkpoints a window store's changelog offset only
 * if the store wrote or restored a record in this run, or had an offset in the previous checkpoint.
 * A window store that got no record since its state was created or restored (claim results on a
 * partition where nobody claimed, or whose claims had expired) has none, and at the next start
 * Kafka Streams takes the whole task for corrupted: it wipes the task's directory and restores
 * every store of it from the changelogs, the preset state included, on every restart. A tombstone
 * of an absent key changes no store's contents and costs one small changelog record per store and
 * run.
 *
 * <p>Key-value stores need no anchor: measured with and without (RestartOnBrokerTest), a key-value
 * store without records (memberships of a partition without organizations, admission demands
 * without capacity caps) never made a task corrupted.
 */
final class ChangelogAnchor {

  /** No event id or claim id starts with a NUL character. */
  static final String KEY = "\u0000changelog-anchor";

  private final List<WindowStore<String, ?>> stores;
  private boolean written;

  ChangelogAnchor(List<WindowStore<String, ?>> stores) {
    this.stores = List.copyOf(stores);
  }

  /** Writes the tombstones (at window time {@code now}) the first time it is called. */
  void writeOnce(long now) {
    if (written) {
      return;
    }
    stores.forEach(store -> store.put(KEY, null, now));
    written = true;
  }
}
