package io.prebuilds.topology;

import java.time.Instant;
import java.util.List;

import io.prebuilds.reconcile.PresetState;

/**
 * What the preset state store keeps per preset: the core's state plus the topology's bookkeeping.
 *
 * @param state the core's state; null while the preset is not defined yet (events wait in {@code
 *     parked})
 * @param dueAt the due time the preset is stored under in the due index, or null
 * @param publishedDigest digest of the last preset-state record published, so an unchanged state is
 *     not published again
 * @param parked events that arrived before the preset's definition, oldest first
 */
record StoredPreset(PresetState state, Instant dueAt, String publishedDigest, List<Parked> parked) {

  StoredPreset {
    parked = parked == null ? List.of() : List.copyOf(parked);
  }

  static StoredPreset empty() {
    return new StoredPreset(null, null, null, List.of());
  }

  boolean defined() {
    return state != null;
  }

  StoredPreset withState(PresetState newState) {
    return new StoredPreset(newState, dueAt, publishedDigest, parked);
  }

  StoredPreset withParked(List<Parked> newParked) {
    return new StoredPreset(state, dueAt, publishedDigest, newParked);
  }

  StoredPreset withPublication(Instant newDueAt, String newDigest) {
    return new StoredPreset(state, newDueAt, newDigest, parked);
  }

  /**
   * An event waiting for its preset's definition.
   *
   * @param value the event as received (encoded envelope), decoded again when applied
   */
  record Parked(String topic, byte[] value, Instant parkedAt) {}
}
