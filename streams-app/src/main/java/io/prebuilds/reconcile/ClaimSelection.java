package io.prebuilds.reconcile;

import java.time.Instant;

/**
 * Chooses the prebuild a claim gets. Pure and deterministic: the oldest eligible prebuild (by
 * creation time, then workspace id), where Coder takes whichever row the database returns first.
 */
public final class ClaimSelection {

  private ClaimSelection() {}

  /**
   * Selects a prebuild for {@code request}: one that is running, has all agents ready, is not
   * expired (Coder may hand out an expired one), is not claimed and has no delete in flight, of an
   * active preset. Never one after the claim's deadline.
   */
  public static ClaimDecision select(PresetState state, ClaimRequest request, Instant now) {
    if (now.isAfter(request.deadline())) {
      return new ClaimDecision.NotClaimed(
          request.claimId(), ClaimDecision.Reason.DEADLINE_PASSED, now);
    }
    PresetDefinition preset = state.definition();
    Prebuild chosen = null;
    if (preset.isActive()) {
      Instant invalidatedAt = state.effectiveInvalidatedAt();
      for (Prebuild prebuild : state.prebuilds()) {
        boolean eligible =
            !prebuild.claimed()
                && prebuild.started()
                && prebuild.agentsReady()
                && !state.deleteInFlight(prebuild.workspaceId())
                && !Pool.expired(prebuild, preset, invalidatedAt, now);
        if (eligible && (chosen == null || Reconciler.OLDEST_FIRST.compare(prebuild, chosen) < 0)) {
          chosen = prebuild;
        }
      }
    }
    if (chosen == null) {
      return new ClaimDecision.NotClaimed(
          request.claimId(), ClaimDecision.Reason.NONE_ELIGIBLE, now);
    }
    String commandId =
        CommandIds.commandId(
            preset.presetId(),
            Trigger.event("claim", request.claimId()),
            "claim",
            chosen.workspaceId());
    LifecycleDefaults lifecycle = preset.lifecycle();
    return new ClaimDecision.Claimed(
        request.claimId(),
        commandId,
        chosen.workspaceId(),
        request.workspaceName(),
        chosen.templateVersionId(),
        request.userId(),
        request.username(),
        now,
        new ClaimDecision.ClaimedLifecycle(
            lifecycle.autostartSchedule(), lifecycle.autostopTtl(), now));
  }
}
