package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * One prebuilt workspace of a preset as the reconciler knows it: identity, age and its latest
 * build.
 *
 * <p>Whether a delete is in flight for it is not stored here but derived from the preset's
 * in-flight commands ({@link PresetState#deleteInFlight(String)}), so the two can never disagree.
 *
 * @param buildNumber the number of the latest build we applied; events about older builds are stale
 * @param createdAt when the workspace was created; TTL and invalidation are measured from it
 * @param templateVersionId the template version its latest build used (deletes must use it)
 * @param agentsReady whether every top-level agent of the latest build reported ready
 * @param claim the user's claim, or null while it is still a prebuild
 * @param updatedAt when we last learned something about it (inventory diffs use it)
 * @param agentsObservedAt when the readiness of the latest build's agents was observed, or null
 *     before any report; a report observed earlier than this one, about the same build, is stale
 *     (agent reports are not ordered by build completion: agents may connect before the build's job
 *     is marked complete)
 */
public record Prebuild(
    String workspaceId,
    String workspaceName,
    long buildNumber,
    Instant createdAt,
    BuildTransition transition,
    BuildStatus status,
    String templateVersionId,
    boolean agentsReady,
    Claim claim,
    Instant updatedAt,
    Instant agentsObservedAt) {

  public Prebuild {
    Objects.requireNonNull(workspaceId, "workspaceId");
    workspaceName = Objects.requireNonNullElse(workspaceName, "");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(transition, "transition");
    Objects.requireNonNull(status, "status");
    templateVersionId = Objects.requireNonNullElse(templateVersionId, "");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** Whether a user claimed it; a claimed workspace is never counted, deleted or claimed again. */
  public boolean claimed() {
    return claim != null;
  }

  /** Its latest build is a successful start: the workspace is up (it may still be expired). */
  public boolean started() {
    return transition == BuildTransition.START && status == BuildStatus.SUCCEEDED;
  }

  Prebuild withBuild(
      long number,
      BuildTransition newTransition,
      BuildStatus newStatus,
      String versionId,
      Instant at) {
    boolean sameBuild = number == buildNumber;
    return new Prebuild(
        workspaceId,
        workspaceName,
        number,
        createdAt,
        newTransition,
        newStatus,
        versionId == null || versionId.isEmpty() ? templateVersionId : versionId,
        sameBuild && agentsReady,
        claim,
        at,
        sameBuild ? agentsObservedAt : null);
  }

  /** Whether a report observed at {@code at} about the latest build is older than one applied. */
  boolean agentReportIsStale(Instant at) {
    return agentsObservedAt != null && at.isBefore(agentsObservedAt);
  }

  /**
   * Agents may report before the build's completion time, so {@code updatedAt} keeps the later of
   * the two: an inventory must not forget a workspace on the strength of an older report.
   */
  Prebuild withAgentsReady(boolean ready, Instant at) {
    return new Prebuild(
        workspaceId,
        workspaceName,
        buildNumber,
        createdAt,
        transition,
        status,
        templateVersionId,
        ready,
        claim,
        at.isAfter(updatedAt) ? at : updatedAt,
        at);
  }

  /** Back to an unclaimed prebuild: its claim build failed, so it never became the user's. */
  Prebuild withoutClaim() {
    return withClaim(null, updatedAt);
  }

  Prebuild withClaim(Claim newClaim) {
    return withClaim(newClaim, newClaim.claimedAt());
  }

  private Prebuild withClaim(Claim newClaim, Instant at) {
    return new Prebuild(
        workspaceId,
        workspaceName,
        buildNumber,
        createdAt,
        transition,
        status,
        templateVersionId,
        agentsReady,
        newClaim,
        at,
        agentsObservedAt);
  }
}
