package io.prebuilds.topology;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A bounded, write-through cache of deserialized values in front of one task's key-value store.
 *
 * <p>Why: every input reads its preset back from the store it wrote a moment ago, and turning the
 * stored bytes into records again was a fifth of the stream thread in the drain benchmark
 * (docs/benchmarks.md). Kafka Streams' record cache keeps bytes, so it does not save that.
 *
 * <p>Why it is correct: every write goes through to the store at once, so the store, its changelog
 * and the transaction are exactly what they would be without the cache; the cache only answers
 * reads. It is owned by one processor instance and created in its {@code init}: Kafka Streams
 * initializes a processor again whenever it restores, wipes or recycles the task's stores, so a
 * cache never outlives the state it mirrors. Absent keys are remembered too (a new preset is looked
 * up before its first write). Values must be immutable; the stores' records are.
 *
 * <p>Not thread-safe: only the stream thread that owns the task uses it. Interactive queries read
 * the store itself.
 */
final class CachedStore<K, V> {

  private static final Object ABSENT = new Object();

  private final KeyValueStore<K, V> store;
  private final Map<K, Object> cache;

  /**
   * @param capacity how many keys are kept at most; the least recently used one is dropped first
   */
  CachedStore(KeyValueStore<K, V> store, int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("cache capacity must be >= 0, got " + capacity);
    }
    this.store = store;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, Object> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The value stored under {@code key}, or null. */
  @SuppressWarnings("unchecked")
  V get(K key) {
    Object cached = cache.get(key);
    if (cached != null) {
      return cached == ABSENT ? null : (V) cached;
    }
    V value = store.get(key);
    cache.put(key, value == null ? ABSENT : value);
    return value;
  }

  /** Writes through; a null value deletes, as in {@link KeyValueStore#put}. */
  void put(K key, V value) {
    store.put(key, value);
    cache.put(key, value == null ? ABSENT : value);
  }

  /** Deletes by writing null, which spares reading (deserializing) the old value. */
  void delete(K key) {
    store.put(key, null);
    cache.put(key, ABSENT);
  }

  /** Every entry, read from the store (which holds every write). */
  KeyValueIterator<K, V> all() {
    return store.all();
  }
}
