package io.prebuilds.schemas.event;

import java.time.Instant;

/**
 * Hand a prebuild to the claiming user: transfer ownership, rename it and apply the template's
 * lifecycle settings, with a build initiated by that user. The worker must refuse when the
 * workspace is no longer owned by the prebuilds system user.
 */
public record ClaimWorkspace(
    String commandId,
    String presetId,
    String organizationId,
    String templateId,
    Instant issuedAt,
    String claimId,
    String workspaceId,
    String initiator,
    String workspaceName,
    String templateVersionId,
    Lifecycle lifecycle)
    implements Command {

  @Override
  public String key() {
    return presetId;
  }
}
