package io.prebuilds.topology;

import java.util.Arrays;

import org.apache.kafka.streams.state.KeyValueStore;

import io.prebuilds.schemas.Decoded;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.GlobalSettings;
import io.prebuilds.schemas.event.Keys;
import io.prebuilds.schemas.event.SettingsEvent;

/**
 * Whether reconciliation is paused, read from the global {@code settings} store. Decodes only when
 * the stored bytes changed, so asking on every record is cheap.
 */
final class GlobalPause {

  private final KeyValueStore<String, byte[]> store;
  private final EventCodec codec;
  private byte[] bytes;
  private boolean paused;

  GlobalPause(KeyValueStore<String, byte[]> store, EventCodec codec) {
    this.store = store;
    this.codec = codec;
  }

  boolean paused() {
    byte[] current = store.get(Keys.GLOBAL);
    if (!Arrays.equals(current, bytes)) {
      bytes = current;
      paused =
          current != null
              && codec.decode(Topics.SETTINGS, current)
                  instanceof Decoded.Accepted<SettingsEvent> accepted
              && accepted.envelope().data() instanceof GlobalSettings global
              && global.reconciliationPaused();
    }
    return paused;
  }
}
