package io.prebuilds.schemas.event;

import java.time.Instant;

/**
 * Build a new prebuild. The workspace id is chosen by the reconciler (deterministic), so a repeated
 * command creates nothing twice; the worker creates it owned by the prebuilds system user.
 */
public record CreatePrebuild(
    String commandId,
    String presetId,
    String organizationId,
    String templateId,
    Instant issuedAt,
    String workspaceId,
    String workspaceName,
    String templateVersionId)
    implements Command {

  @Override
  public String key() {
    return presetId;
  }
}
