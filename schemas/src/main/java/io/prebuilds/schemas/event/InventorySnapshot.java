package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.List;

/**
 * The workspaces a provisioner really has for a preset, sent periodically. The reconciler diffs it
 * against its state (anti-entropy) so a lost event cannot leave a phantom workspace forever.
 *
 * @param providerId which provisioner observed this (snapshots from different providers are
 *     independent)
 */
public record InventorySnapshot(
    String presetId, String providerId, Instant observedAt, List<Workspace> workspaces)
    implements InventoryEvent {

  public InventorySnapshot {
    workspaces = List.copyOf(workspaces);
  }

  @Override
  public String key() {
    return presetId;
  }

  /**
   * One workspace as observed.
   *
   * @param ownerIsPrebuildsUser false once the workspace was claimed by a user
   */
  public record Workspace(
      String workspaceId,
      int buildNumber,
      String templateVersionId,
      WorkspaceState state,
      boolean agentsReady,
      boolean ownerIsPrebuildsUser) {}
}
