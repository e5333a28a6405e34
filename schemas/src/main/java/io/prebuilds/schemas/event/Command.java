package io.prebuilds.schemas.event;

import java.time.Instant;

/**
 * A command for workers on {@code prebuilds.commands.v1}. Workers dedupe by {@link #commandId()}
 * (ids are deterministic, so a replay after failover repeats the same id) and report what they
 * could not carry out on {@code prebuilds.command-results.v1} with the same id.
 */
public sealed interface Command extends Event
    permits CreatePrebuild,
        DeletePrebuild,
        CancelPending,
        ClaimWorkspace,
        ReinitializeAgent,
        EnsureMembership {

  String commandId();

  String organizationId();

  Instant issuedAt();

  /** The kind named in command results. */
  default CommandKind kind() {
    return CommandKind.of(this);
  }
}
