package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * A command we issued and no build or command result has answered yet.
 *
 * <p>A create counts as "starting" and a delete as "deleting" until it is answered or times out
 * ({@link ReconcileConfig#commandTimeout()} after {@code issuedAt}); a timed-out command is dropped
 * and counted, never treated as a failed build.
 *
 * @param workspaceId the workspace to create (its id is chosen by us, deterministically) or delete
 */
public record InFlightCommand(
    String commandId, CommandKind kind, String workspaceId, Instant issuedAt) {

  public InFlightCommand {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(issuedAt, "issuedAt");
  }

  /** When the command stops blocking the pool if nobody answered it. */
  public Instant timesOutAt(ReconcileConfig config) {
    return issuedAt.plus(config.commandTimeout());
  }

  boolean timedOut(Instant now, ReconcileConfig config) {
    return !now.isBefore(timesOutAt(config));
  }
}
