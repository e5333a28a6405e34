package io.prebuilds.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/**
 * The changelog anchor: each window store gets one tombstone in its changelog per run (so a clean
 * restart finds a checkpointed offset for it, see {@code RestartOnBrokerTest}), and no store's
 * contents change.
 */
class ChangelogAnchorTest {

  private static final List<String> ANCHORED =
      List.of(PrebuildsTopology.SEEN_EVENTS_STORE, PrebuildsTopology.CLAIM_RESULTS_STORE);

  @Test
  void everyAnchoredStoreGetsOneTombstonePerRunAndStaysEmpty() {
    try (TopologyHarness harness = new TopologyHarness()) {
      for (int tick = 0; tick < 5; tick++) {
        harness.advance(Duration.ofSeconds(1));
      }
      for (String store : ANCHORED) {
        List<KeyValue<byte[], byte[]>> records =
            harness
                .driver
                .createOutputTopic(
                    "prebuilds-test-" + store + "-changelog",
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())
                .readKeyValuesToList();
        assertThat(records).as(store).hasSize(1);
        assertThat(records.get(0).value).as(store).isNull();
      }
      for (String store : ANCHORED) {
        WindowStore<String, byte[]> window = harness.driver.getWindowStore(store);
        try (var all = window.all()) {
          assertThat(all.hasNext()).as(store).isFalse();
        }
      }
    }
  }
}
