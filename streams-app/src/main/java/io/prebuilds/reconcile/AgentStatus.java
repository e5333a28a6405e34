package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/** Whether every top-level agent of a workspace's build {@code buildNumber} is ready. */
public record AgentStatus(
    String workspaceId, long buildNumber, boolean allReady, Instant observedAt) {

  public AgentStatus {
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(observedAt, "observedAt");
  }
}
