package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one create build of this preset: what backoff and the failure hard limit look at.
 * Timeouts and cancellations are not attempts: they say nothing about whether the template works.
 */
public record CreateAttempt(String workspaceId, Instant completedAt, Result result) {

  /** How a create build ended. */
  public enum Result {
    SUCCEEDED,
    /** The build ran and failed (a transient or template problem); counts toward backoff. */
    FAILED,
    /** The build was refused before any workspace existed (e.g. a missing parameter). */
    VALIDATION_FAILED;

    /** Whether the attempt is a failure for backoff and the hard limit. */
    public boolean failed() {
      return this != SUCCEEDED;
    }
  }

  public CreateAttempt {
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(completedAt, "completedAt");
    Objects.requireNonNull(result, "result");
  }
}
