package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * A workspace build of this preset finished.
 *
 * @param buildNumber per-workspace build number; an event about a build older than the one we know
 *     is stale and dropped
 * @param commandId our command the build answers, or null if it was not ours
 * @param claimId the claim the build serves, or null if it serves none
 * @param failureKind why it failed, or null if it did not
 * @param byPrebuildsUser whether the prebuilds system user started it
 */
public record BuildCompleted(
    String workspaceId,
    String workspaceName,
    long buildNumber,
    String commandId,
    String claimId,
    String templateVersionId,
    BuildTransition transition,
    BuildStatus status,
    FailureKind failureKind,
    boolean byPrebuildsUser,
    Instant completedAt) {

  public BuildCompleted {
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(transition, "transition");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(completedAt, "completedAt");
    if (status.inProgress()) {
      throw new IllegalArgumentException(
          "build "
              + buildNumber
              + " of workspace "
              + workspaceId
              + ": status "
              + status
              + " is not final");
    }
    if (buildNumber < 1) {
      throw new IllegalArgumentException(
          "workspace " + workspaceId + ": buildNumber must be >= 1, got " + buildNumber);
    }
  }

  /**
   * Whether the build may adopt a workspace we do not know. Build events carry no owner: a claim
   * build, or a build someone else started, may be of a workspace that is (or became) a user's, and
   * adopting it would put the user's workspace back in the pool to be handed out or deleted. The
   * inventory, which does say who owns each workspace, adopts those that are really ours.
   */
  public boolean mayAdopt() {
    return claimId == null && byPrebuildsUser;
  }
}
