package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * A workspace build of this preset finished.
 *
 * @param buildNumber per-workspace build number; an event about a build older than the one we know
 *     is stale and dropped
 * @param commandId our command the build answers, or null if it was not ours
 * @param failureKind why it failed, or null if it did not
 */
public record BuildCompleted(
    String workspaceId,
    String workspaceName,
    long buildNumber,
    String commandId,
    String templateVersionId,
    BuildTransition transition,
    BuildStatus status,
    FailureKind failureKind,
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
}
