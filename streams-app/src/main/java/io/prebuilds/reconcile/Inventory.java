package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The workspaces a provisioner really has for a preset at {@code observedAt}: the anti-entropy
 * input that lets us forget phantoms and learn about workspaces whose events were lost.
 */
public record Inventory(Instant observedAt, List<Workspace> workspaces) {

  /** One workspace as the provisioner sees it. */
  public record Workspace(
      String workspaceId,
      String workspaceName,
      long buildNumber,
      BuildTransition transition,
      BuildStatus status,
      String templateVersionId,
      boolean agentsReady,
      Instant createdAt) {

    public Workspace {
      Objects.requireNonNull(workspaceId, "workspaceId");
      Objects.requireNonNull(transition, "transition");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(createdAt, "createdAt");
    }
  }

  public Inventory {
    Objects.requireNonNull(observedAt, "observedAt");
    workspaces = List.copyOf(workspaces);
  }
}
