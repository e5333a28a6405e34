package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A worker's report on a command, under the command's id. Workers must report what they could not
 * carry out (failed, or refused, e.g. deleting a workspace that is no longer owned by the prebuilds
 * user); reporting successes is allowed and helps timeouts clear early.
 *
 * @param reason a short human-readable explanation, e.g. {@code workspace owned by another user}
 */
public record CommandResult(
    String commandId,
    CommandKind commandKind,
    Optional<String> presetId,
    Optional<String> organizationId,
    Optional<String> workspaceId,
    CommandOutcome outcome,
    String reason,
    Instant reportedAt)
    implements CommandResultEvent {

  public CommandResult {
    Objects.requireNonNull(presetId, "presetId");
    Objects.requireNonNull(organizationId, "organizationId");
    if (presetId.isEmpty() && organizationId.isEmpty()) {
      throw new IllegalArgumentException(
          "command result " + commandId + " names neither presetId nor organizationId");
    }
  }

  /** The preset id, or {@code org:<organizationId>} for results about an organization. */
  @Override
  public String key() {
    return presetId.orElseGet(() -> Keys.organization(organizationId.orElseThrow()));
  }
}
