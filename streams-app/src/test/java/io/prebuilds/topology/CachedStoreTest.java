package io.prebuilds.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.prebuilds.schemas.StateSerde;

class CachedStoreTest {

  record Item(String name) {}

  private KeyValueStore<String, Item> store;

  @BeforeEach
  void setUp() {
    store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("items"),
                Serdes.String(),
                StateSerde.builder(Item.class, 1).build())
            .withLoggingDisabled()
            .build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
  }

  @Test
  void aWrittenValueIsReadBackWithoutDeserializing() {
    CachedStore<String, Item> cached = new CachedStore<>(store, 10);
    Item item = new Item("a");

    cached.put("k", item);

    assertThat(cached.get("k")).isSameAs(item);
    assertThat(store.get("k")).isEqualTo(item).isNotSameAs(item);
  }

  @Test
  void writesAndDeletesGoThroughToTheStore() {
    CachedStore<String, Item> cached = new CachedStore<>(store, 10);

    cached.put("k", new Item("a"));
    assertThat(store.get("k")).isEqualTo(new Item("a"));

    cached.delete("k");
    assertThat(store.get("k")).isNull();
    assertThat(cached.get("k")).isNull();

    cached.put("k", new Item("b"));
    cached.put("k", null);
    assertThat(store.get("k")).isNull();
    assertThat(cached.get("k")).isNull();
  }

  @Test
  void aMissIsReadFromTheStoreOnceThenServedFromMemory() {
    store.put("k", new Item("a"));
    CachedStore<String, Item> cached = new CachedStore<>(store, 10);

    Item first = cached.get("k");

    assertThat(first).isEqualTo(new Item("a"));
    assertThat(cached.get("k")).isSameAs(first);
    assertThat(cached.get("missing")).isNull();
    // the cache owns every write: a value written behind its back is not seen, absent or present
    store.put("missing", new Item("behind"));
    store.put("k", new Item("behind"));
    assertThat(cached.get("missing")).isNull();
    assertThat(cached.get("k")).isSameAs(first);
  }

  @Test
  void theLeastRecentlyUsedKeyIsDroppedBeyondTheCapacity() {
    CachedStore<String, Item> cached = new CachedStore<>(store, 2);
    cached.put("a", new Item("a"));
    cached.put("b", new Item("b"));
    cached.get("a");
    cached.put("c", new Item("c"));
    store.put("a", new Item("a2"));
    store.put("b", new Item("b2"));

    assertThat(cached.get("a")).isEqualTo(new Item("a"));
    assertThat(cached.get("b")).isEqualTo(new Item("b2"));
  }

  @Test
  void capacityZeroReadsEveryValueFromTheStore() {
    CachedStore<String, Item> cached = new CachedStore<>(store, 0);
    Item item = new Item("a");
    cached.put("k", item);

    assertThat(cached.get("k")).isEqualTo(item).isNotSameAs(item);
    assertThat(cached.all()).toIterable().hasSize(1);
    assertThatThrownBy(() -> new CachedStore<>(store, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }
}
