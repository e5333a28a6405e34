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
 * @param published whether {@code snapshot} is what the read model last received: an unchanged
 *     snapshot is not published again, and one stored while rebuilding (nothing is sent then) is
 *     published by the next live decision
 * @param snapshot the preset's read-model record as of its last decision, shown by the API
 * @param parked events that arrived before the preset's definition, oldest first
 * @param quarantine why the last attempt to process the preset failed, or null when healthy
 * @param drainedAt since when the preset has been drained (inactive, nothing left), or null
 * @param demand the desired count last sent to the admission stage for a capacity cap, or null if
 *     none was sent (uncapped organization)
 */
public record StoredPreset(
    PresetState state,
    Instant dueAt,
    boolean published,
    PresetSnapshot snapshot,
    List<Parked> parked,
    Quarantine quarantine,
    Instant drainedAt,
    Integer demand) {

  public StoredPreset {
    parked = parked == null ? List.of() : List.copyOf(parked);
  }

  static StoredPreset empty() {
    return new StoredPreset(null, null, false, null, List.of(), null, null, null);
  }

  public boolean defined() {
    return state != null;
  }

  StoredPreset withState(PresetState newState) {
    return new StoredPreset(
        newState, dueAt, published, snapshot, parked, quarantine, drainedAt, demand);
  }

  StoredPreset withDemand(Integer newDemand) {
    return new StoredPreset(
        state, dueAt, published, snapshot, parked, quarantine, drainedAt, newDemand);
  }

  StoredPreset withParked(List<Parked> newParked) {
    return new StoredPreset(
        state, dueAt, published, snapshot, newParked, quarantine, drainedAt, demand);
  }

  /** After a successful decision: where it is due next, what was published, and healthy again. */
  StoredPreset withDue(Instant newDueAt) {
    return new StoredPreset(
        state, newDueAt, published, snapshot, parked, quarantine, drainedAt, demand);
  }

  StoredPreset withPublication(
      Instant newDueAt, boolean sent, PresetSnapshot newSnapshot, Instant newDrainedAt) {
    return new StoredPreset(state, newDueAt, sent, newSnapshot, parked, null, newDrainedAt, demand);
  }

  /** After publishing {@code newSnapshot} outside a decision (the quarantine flag). */
  StoredPreset withPublished(PresetSnapshot newSnapshot) {
    return new StoredPreset(state, dueAt, true, newSnapshot, parked, quarantine, drainedAt, demand);
  }

  StoredPreset quarantined(String reason, Instant retryAt) {
    int attempts = quarantine == null ? 1 : quarantine.attempts() + 1;
    return new StoredPreset(
        state,
        retryAt,
        published,
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
