package io.prebuilds.schemas.event;

import java.time.Instant;

/**
 * Tell the claimed workspace's agent to reinitialise for its new owner; sent once, when the claim
 * build succeeded.
 */
public record ReinitializeAgent(
    String commandId,
    String presetId,
    String organizationId,
    String templateId,
    Instant issuedAt,
    String claimId,
    String workspaceId,
    String userId)
    implements Command {

  @Override
  public String key() {
    return presetId;
  }
}
