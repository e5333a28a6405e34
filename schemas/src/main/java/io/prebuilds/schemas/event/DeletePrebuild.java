package io.prebuilds.schemas.event;

import java.time.Instant;

/**
 * Delete a prebuild. The worker must refuse (and report {@code refused}) when the workspace is not
 * owned by {@code expectedOwner} any more, i.e. it was claimed in the meantime.
 *
 * @param templateVersionId the version the workspace was built from (not the active one)
 * @param expectedOwner the prebuilds system user id
 */
public record DeletePrebuild(
    String commandId,
    String presetId,
    String organizationId,
    String templateId,
    Instant issuedAt,
    String workspaceId,
    String templateVersionId,
    DeleteReason reason,
    String expectedOwner)
    implements Command {

  /** Coder's prebuilds system user, the owner of every unclaimed prebuild. */
  public static final String PREBUILDS_SYSTEM_USER_ID = "c42fdf75-3097-471c-8c33-fb52454d81c0";

  @Override
  public String key() {
    return presetId;
  }
}
