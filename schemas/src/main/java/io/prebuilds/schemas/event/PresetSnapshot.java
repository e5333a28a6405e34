package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The read model of one preset: its definition, counts, status and the last decision explained in
 * plain language. Published only when its content changed; a tombstone means the preset is gone.
 *
 * @param active the preset belongs to the template's active version
 * @param quarantined processing this preset failed; it is skipped until an operator acts
 * @param paused reconciliation is paused globally
 * @param desired prebuilds wanted now (default or schedule)
 * @param eligible running prebuilds whose agents are ready and that are not expired (claimable)
 * @param timedOut commands that were not answered in time
 * @param backoffUntil no creates before this, after recent failures
 * @param nextDueAt when the reconciler looks at the preset again without a new event
 * @param explanation why the last decision was made, one sentence per entry
 */
public record PresetSnapshot(
    String presetId,
    String presetName,
    String templateId,
    String templateName,
    String templateVersionId,
    String organizationId,
    String organizationName,
    boolean active,
    PresetStatus status,
    boolean quarantined,
    boolean paused,
    int desired,
    int running,
    int eligible,
    int starting,
    int stopping,
    int deleting,
    int expired,
    int extraneous,
    int timedOut,
    Optional<Instant> backoffUntil,
    Optional<Instant> nextDueAt,
    Counters counters,
    List<String> explanation,
    Instant updatedAt)
    implements PresetStateEvent {

  public PresetSnapshot {
    explanation = List.copyOf(explanation);
  }

  @Override
  public String key() {
    return presetId;
  }

  /**
   * The same content with other volatile parts and quarantine flag: the reconciler compares
   * snapshots without their volatile parts, and republishes the last one when a preset is
   * quarantined (processing it failed, so there is no new decision to publish).
   */
  public PresetSnapshot with(boolean quarantined, Optional<Instant> nextDueAt, Instant updatedAt) {
    return new PresetSnapshot(
        presetId,
        presetName,
        templateId,
        templateName,
        templateVersionId,
        organizationId,
        organizationName,
        active,
        status,
        quarantined,
        paused,
        desired,
        running,
        eligible,
        starting,
        stopping,
        deleting,
        expired,
        extraneous,
        timedOut,
        backoffUntil,
        nextDueAt,
        counters,
        explanation,
        updatedAt);
  }

  /** Totals since the preset was first seen; they never go down (Prometheus counters). */
  public record Counters(
      long createdTotal, long failedTotal, long claimedTotal, long resourceReplacementsTotal) {}
}
