package io.prebuilds.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The presets that want attention at a time of their own choosing, ordered by {@code (dueAt,
 * presetId)}.
 *
 * <p>Why a separate ordered store: the punctuator must visit only the presets that are due, so the
 * cost of a tick follows the number of due presets and never the number of idle ones. Keys are
 * {@code dueAt} epoch millis as 8 big-endian bytes with the sign bit flipped (so byte order equals
 * time order, also for the store's lexicographic RocksDB order), followed by the preset id in
 * UTF-8. Values are empty; the preset's state store remembers its current due time so a reschedule
 * can remove the old entry.
 */
final class DueIndex {

  private static final byte[] EMPTY = new byte[0];
  private static final int TIME_BYTES = Long.BYTES;

  private final KeyValueStore<Bytes, byte[]> store;

  DueIndex(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  /** A preset that is due, with the due time it was stored under (the trigger for its ids). */
  record Due(String presetId, Instant dueAt) {}

  /**
   * Moves a preset from its previous due time (if any) to the next (if any). Idempotent: the same
   * call twice leaves one entry.
   */
  void reschedule(String presetId, Optional<Instant> previous, Optional<Instant> next) {
    if (previous.equals(next)) {
      return;
    }
    previous.ifPresent(at -> store.delete(key(at, presetId)));
    next.ifPresent(at -> store.put(key(at, presetId), EMPTY));
  }

  /** Up to {@code max} presets due at or before {@code now}, earliest first. */
  List<Due> dueAt(Instant now, int max) {
    List<Due> due = new ArrayList<>(Math.min(max, 64));
    Bytes upper = Bytes.wrap(timePrefix(now.toEpochMilli() + 1));
    try (KeyValueIterator<Bytes, byte[]> it =
        store.range(Bytes.wrap(timePrefix(Long.MIN_VALUE)), upper)) {
      while (it.hasNext() && due.size() < max) {
        KeyValue<Bytes, byte[]> entry = it.next();
        due.add(decode(entry.key.get()));
      }
    }
    return due;
  }

  /** The earliest due time in the index, if any: what a simulation advances to next. */
  Optional<Instant> earliest() {
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      return it.hasNext() ? Optional.of(decode(it.next().key.get()).dueAt()) : Optional.empty();
    }
  }

  /**
   * The millisecond a due time is kept under: rounded up, so a timer never fires before the time it
   * stands for. Event times may be finer than a millisecond (e.g. a backoff that ends one interval
   * after a build's {@code completedAt} in microseconds); callers compare a stored due time with a
   * {@link Due} through this.
   */
  static Instant slot(Instant at) {
    Instant millis = at.truncatedTo(ChronoUnit.MILLIS);
    return millis.equals(at) ? at : millis.plusMillis(1);
  }

  static Bytes key(Instant dueAt, String presetId) {
    byte[] id = presetId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(TIME_BYTES + id.length)
            .putLong(slot(dueAt).toEpochMilli() ^ Long.MIN_VALUE)
            .put(id)
            .array());
  }

  static Due decode(byte[] key) {
    ByteBuffer buffer = ByteBuffer.wrap(key);
    long millis = buffer.getLong() ^ Long.MIN_VALUE;
    String presetId = new String(key, TIME_BYTES, key.length - TIME_BYTES, StandardCharsets.UTF_8);
    return new Due(presetId, Instant.ofEpochMilli(millis));
  }

  private static byte[] timePrefix(long epochMillis) {
    return ByteBuffer.allocate(TIME_BYTES).putLong(epochMillis ^ Long.MIN_VALUE).array();
  }
}
