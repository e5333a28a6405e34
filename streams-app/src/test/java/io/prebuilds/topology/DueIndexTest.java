package io.prebuilds.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DueIndexTest {

  private static final Instant T0 = Instant.parse("2025-06-02T09:00:00Z");

  private DueIndex index;

  @BeforeEach
  void setUp() {
    KeyValueStore<Bytes, byte[]> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("due-index"), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    store.init(context.getStateStoreContext(), store);
    index = new DueIndex(store);
  }

  @Test
  void returnsOnlyDuePresetsEarliestFirst() {
    index.reschedule("late", Optional.empty(), Optional.of(T0.plusSeconds(60)));
    index.reschedule("b", Optional.empty(), Optional.of(T0));
    index.reschedule("a", Optional.empty(), Optional.of(T0));
    index.reschedule("early", Optional.empty(), Optional.of(T0.minusSeconds(5)));

    assertThat(index.dueAt(T0, 10))
        .extracting(DueIndex.Due::presetId)
        .containsExactly("early", "a", "b");
  }

  @Test
  void visitsAtMostTheLimitAndLeavesTheRestDue() {
    for (int i = 0; i < 5; i++) {
      index.reschedule("p" + i, Optional.empty(), Optional.of(T0.minusSeconds(i)));
    }
    assertThat(index.dueAt(T0, 2)).extracting(DueIndex.Due::presetId).containsExactly("p4", "p3");
  }

  @Test
  void rescheduleMovesTheEntry() {
    index.reschedule("p", Optional.empty(), Optional.of(T0));
    index.reschedule("p", Optional.of(T0), Optional.of(T0.plusSeconds(3600)));

    assertThat(index.dueAt(T0, 10)).isEmpty();
    assertThat(index.earliest()).contains(T0.plusSeconds(3600));
    assertThat(index.dueAt(T0.plusSeconds(3600), 10))
        .containsExactly(new DueIndex.Due("p", T0.plusSeconds(3600)));
  }

  @Test
  void unschedulingRemovesThePreset() {
    index.reschedule("p", Optional.empty(), Optional.of(T0));
    index.reschedule("p", Optional.of(T0), Optional.empty());
    assertThat(index.earliest()).isEmpty();
  }

  @Test
  void keysOrderByTimeBeforePresetId() {
    assertThat(DueIndex.key(T0, "zzz").compareTo(DueIndex.key(T0.plusMillis(1), "aaa")))
        .isNegative();
    assertThat(DueIndex.decode(DueIndex.key(T0, "preset-1").get()))
        .isEqualTo(new DueIndex.Due("preset-1", T0));
  }

  @Test
  void aDueTimeFinerThanAMillisecondIsDueAtTheNextMillisecondAndMatchesItsSlot() {
    Instant backoffEnd = T0.plusNanos(1_500_000);
    index.reschedule("p", Optional.empty(), Optional.of(backoffEnd));

    assertThat(index.dueAt(T0.plusMillis(1), 10)).isEmpty();
    assertThat(index.dueAt(T0.plusMillis(2), 10))
        .singleElement()
        .satisfies(due -> assertThat(due.dueAt()).isEqualTo(DueIndex.slot(backoffEnd)));
    index.reschedule("p", Optional.of(backoffEnd), Optional.empty());
    assertThat(index.earliest()).isEmpty();
  }
}
