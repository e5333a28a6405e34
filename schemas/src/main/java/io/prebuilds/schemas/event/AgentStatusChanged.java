package io.prebuilds.schemas.event;

import java.time.Instant;

/**
 * Whether all top-level agents of a workspace's build are ready. Only a prebuild whose agents are
 * all ready is eligible for a claim.
 */
public record AgentStatusChanged(
    String presetId,
    String workspaceId,
    int buildNumber,
    boolean allAgentsReady,
    Instant observedAt)
    implements BuildEvent {

  public AgentStatusChanged {
    if (buildNumber < 1) {
      throw new IllegalArgumentException("buildNumber must be >= 1: " + buildNumber);
    }
  }

  @Override
  public String key() {
    return presetId;
  }
}
