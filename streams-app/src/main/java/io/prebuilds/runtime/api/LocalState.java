package io.prebuilds.runtime.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.prebuilds.schemas.Decoded;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.GlobalSettings;
import io.prebuilds.schemas.event.Keys;
import io.prebuilds.schemas.event.SettingsEvent;
import io.prebuilds.topology.PrebuildsTopology;
import io.prebuilds.topology.StoredPreset;

/**
 * Interactive queries on this instance's stores, active tasks only: a standby's copy may lag, and
 * the API and the metrics must show what the single writer of a preset decided.
 *
 * <p>While a rebalance or a restore makes a store unqueryable, answers are empty (or {@link
 * Lookup.Unavailable}) rather than exceptions, so callers can say "try again" (503) or skip a
 * scrape's per-preset series.
 */
public final class LocalState {
  private final KafkaStreams streams;
  private final EventCodec codec = EventCodec.create();

  public LocalState(KafkaStreams streams) {
    this.streams = streams;
  }

  /** The answer for one preset on this instance. */
  public sealed interface Lookup {
    /** The preset is stored here (defined or still waiting for its definition). */
    record Found(StoredPreset preset) implements Lookup {}

    /** The store answered and holds nothing under this id. */
    record Missing() implements Lookup {}

    /** The store cannot be queried now (rebalance or restore); ask again shortly. */
    record Unavailable(String reason) implements Lookup {}
  }

  /** One preset from the local active tasks. */
  public Lookup preset(String presetId) {
    try {
      var stored = presets().get(presetId);
      return stored == null ? new Lookup.Missing() : new Lookup.Found(stored);
    } catch (InvalidStateStoreException e) {
      return new Lookup.Unavailable(e.getMessage());
    }
  }

  /** Every defined preset of the local active tasks, or empty while the store is unavailable. */
  public Optional<List<StoredPreset>> presets(boolean definedOnly) {
    try (var all = presets().all()) {
      var result = new ArrayList<StoredPreset>();
      all.forEachRemaining(
          entry -> {
            if (!definedOnly || entry.value.defined()) {
              result.add(entry.value);
            }
          });
      return Optional.of(result);
    } catch (InvalidStateStoreException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether reconciliation is paused by the global setting; empty while the store is unavailable.
   */
  public Optional<Boolean> paused() {
    try {
      ReadOnlyKeyValueStore<String, byte[]> settings =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  PrebuildsTopology.SETTINGS_STORE, QueryableStoreTypes.keyValueStore()));
      var value = settings.get(Keys.GLOBAL);
      if (value == null) {
        return Optional.of(false);
      }
      Decoded<SettingsEvent> decoded = codec.decode(Topics.SETTINGS, value);
      return Optional.of(
          decoded instanceof Decoded.Accepted<SettingsEvent> accepted
              && accepted.envelope().data() instanceof GlobalSettings global
              && global.reconciliationPaused());
    } catch (InvalidStateStoreException e) {
      return Optional.empty();
    }
  }

  /** The approximate entries of a key-value store over the local active tasks. */
  public OptionalLong approximateEntries(String storeName) {
    try {
      ReadOnlyKeyValueStore<Object, Object> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.keyValueStore()));
      return OptionalLong.of(store.approximateNumEntries());
    } catch (InvalidStateStoreException e) {
      return OptionalLong.empty();
    }
  }

  private ReadOnlyKeyValueStore<String, StoredPreset> presets() {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
            PrebuildsTopology.PRESET_STATE_STORE, QueryableStoreTypes.keyValueStore()));
  }
}
