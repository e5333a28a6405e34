package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/** A worker could not carry out one of our commands. */
public record CommandResult(String commandId, Outcome outcome, String reason, Instant reportedAt) {

  /** What went wrong. */
  public enum Outcome {
    /** The command failed (e.g. organization membership could not be ensured). */
    FAILED,
    /** The workspace is no longer owned by the prebuilds user: somebody claimed it. */
    NOT_OWNED
  }

  public CommandResult {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(outcome, "outcome");
    reason = Objects.requireNonNullElse(reason, "");
    Objects.requireNonNull(reportedAt, "reportedAt");
  }
}
