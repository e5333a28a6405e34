package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * A command we issued and no build or command result has answered yet.
 *
 * <p>A create counts as "starting" and a delete as "deleting" until it is answered or times out
 * ({@link ReconcileConfig#commandTimeout()} after it was dispatched); a timed-out command is
 * dropped and counted, never treated as a failed build. A command still queued by the admission
 * stage (see {@code docs/backpressure.md}) is in flight but has no deadline yet: it cannot time out
 * before it reached the provisioner's queue.
 *
 * @param workspaceId the workspace to create (its id is chosen by us, deterministically) or delete
 * @param queued whether the admission stage still holds it (not yet on the command topic)
 * @param dispatchedAt when it reached the command topic; null while queued, and in state stored
 *     before admission existed, where {@code issuedAt} stands in for it
 */
public record InFlightCommand(
    String commandId,
    CommandKind kind,
    String workspaceId,
    Instant issuedAt,
    boolean queued,
    Instant dispatchedAt) {

  public InFlightCommand {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(issuedAt, "issuedAt");
  }

  /** A command dispatched when it was issued (no admission stage in between). */
  public InFlightCommand(String commandId, CommandKind kind, String workspaceId, Instant issuedAt) {
    this(commandId, kind, workspaceId, issuedAt, false, issuedAt);
  }

  /** The same command, now on the command topic: its timeout starts at {@code at}. */
  public InFlightCommand dispatched(Instant at) {
    return new InFlightCommand(commandId, kind, workspaceId, issuedAt, false, at);
  }

  /** When the command stops blocking the pool if nobody answered it; null while it is queued. */
  public Instant timesOutAt(ReconcileConfig config) {
    if (queued) {
      return null;
    }
    return (dispatchedAt == null ? issuedAt : dispatchedAt).plus(config.commandTimeout());
  }

  /** Whether it was dispatched and nobody answered it within the command timeout. */
  public boolean timedOut(Instant now, ReconcileConfig config) {
    return !queued && !now.isBefore(timesOutAt(config));
  }
}
