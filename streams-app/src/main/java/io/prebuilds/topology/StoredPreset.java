package io.prebuilds.topology;

import java.time.Instant;
import java.util.List;

import io.prebuilds.reconcile.PresetState;
import io.prebuilds.schemas.event.PresetSnapshot;

/**
 * What the preset state store ({@link PrebuildsTopology#PRESET_STATE_STORE}) keeps per preset: the
 * core's state plus the topology's bookkeeping. Public because interactive queries (the HTTP API,
 * the status page, metrics) read it; only the topology writes it.
 *
 * @param state the core's state; null while the preset is not defined yet (events wait in {@code
 *     parked})
 * @param dueAt the due time the preset is stored under in the due index, or null
 * @param publishedDigest digest of the last preset-state record published, so an unchanged state is
 *     not published again
 * @param parked events that arrived before the preset's definition, oldest first
 * @param quarantine why the last attempt to process the preset failed, or null when healthy
 * @param drainedAt since when the preset has been drained (inactive, nothing left), or null
 * @param demand the desired count last sent to the admission stage for a capacity cap, or null if
 *     none was sent (uncapped organization)
 */
public record StoredPreset(
    PresetState state,
    Instant dueAt,
    String publishedDigest,
    PresetSnapshot snapshot,
    List<Parked> parked,
    Quarantine quarantine,
    Instant drainedAt,
    Integer demand) {

  public StoredPreset {
    parked = parked == null ? List.of() : List.copyOf(parked);
  }

  static StoredPreset empty() {
    return new StoredPreset(null, null, null, null, List.of(), null, null, null);
  }

  public boolean defined() {
    return state != null;
  }

  StoredPreset withState(PresetState newState) {
    return new StoredPreset(
        newState, dueAt, publishedDigest, snapshot, parked, quarantine, drainedAt, demand);
  }

  StoredPreset withDemand(Integer newDemand) {
    return new StoredPreset(
        state, dueAt, publishedDigest, snapshot, parked, quarantine, drainedAt, newDemand);
  }

  StoredPreset withParked(List<Parked> newParked) {
    return new StoredPreset(
        state, dueAt, publishedDigest, snapshot, newParked, quarantine, drainedAt, demand);
  }

  /** After a successful decision: where it is due next, what was published, and healthy again. */
  StoredPreset withDue(Instant newDueAt) {
    return new StoredPreset(
        state, newDueAt, publishedDigest, snapshot, parked, quarantine, drainedAt, demand);
  }

  StoredPreset withPublication(
      Instant newDueAt, String newDigest, PresetSnapshot newSnapshot, Instant newDrainedAt) {
    return new StoredPreset(
        state, newDueAt, newDigest, newSnapshot, parked, null, newDrainedAt, demand);
  }

  StoredPreset withPublished(String newDigest, PresetSnapshot newSnapshot) {
    return new StoredPreset(
        state, dueAt, newDigest, newSnapshot, parked, quarantine, drainedAt, demand);
  }

  StoredPreset quarantined(String reason, Instant retryAt) {
    int attempts = quarantine == null ? 1 : quarantine.attempts() + 1;
    return new StoredPreset(
        state,
        retryAt,
        publishedDigest,
        snapshot,
        parked,
        new Quarantine(reason, attempts, retryAt),
        drainedAt,
        demand);
  }

  /**
   * An event waiting for its preset's definition.
   *
   * @param value the event as received (encoded envelope), decoded again when applied
   */
  public record Parked(String topic, byte[] value, Instant parkedAt) {}

  /** A preset whose processing threw: it is retried with backoff and never blocks the others. */
  public record Quarantine(String reason, int attempts, Instant retryAt) {}
}
