package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One thing a decision asks for. Creates, deletes and cancels become commands for workers; the
 * others change the preset's own state or tell people. Every action says why, in plain words.
 */
public sealed interface Action
    permits Action.CreatePrebuild,
        Action.DeletePrebuild,
        Action.CancelPending,
        Action.BackoffUntil,
        Action.StatusChange,
        Action.Notify {

  /** Why the action was taken, for the preset's explanation and the logs. */
  String reason();

  /**
   * Create one prebuild. The workspace id and name are derived from the command id, so a
   * re-delivered command makes the same workspace.
   */
  record CreatePrebuild(
      String commandId,
      String workspaceId,
      String workspaceName,
      String templateVersionId,
      String reason)
      implements Action {
    public CreatePrebuild {
      Objects.requireNonNull(commandId, "commandId");
      Objects.requireNonNull(workspaceId, "workspaceId");
      Objects.requireNonNull(workspaceName, "workspaceName");
      Objects.requireNonNull(templateVersionId, "templateVersionId");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Delete one prebuild. {@code templateVersionId} is the version the workspace was built from:
   * deleting with another version's template can fail (Coder PR #17652).
   */
  record DeletePrebuild(
      String commandId,
      String workspaceId,
      String templateVersionId,
      DeleteReason deleteReason,
      String reason)
      implements Action {
    public DeletePrebuild {
      Objects.requireNonNull(commandId, "commandId");
      Objects.requireNonNull(workspaceId, "workspaceId");
      Objects.requireNonNull(templateVersionId, "templateVersionId");
      Objects.requireNonNull(deleteReason, "deleteReason");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Cancel creates that were issued but not answered yet, because the preset is no longer active. A
   * worker cancels them if they have not started; any that already made a workspace are deleted
   * later like every other prebuild of an inactive preset.
   */
  record CancelPending(String commandId, List<String> createCommandIds, String reason)
      implements Action {
    public CancelPending {
      Objects.requireNonNull(commandId, "commandId");
      createCommandIds = List.copyOf(createCommandIds);
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Creates are held back until {@code until} after recent failed create builds. */
  record BackoffUntil(Instant until, int failedInLookback, String reason) implements Action {
    public BackoffUntil {
      Objects.requireNonNull(until, "until");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The preset's status changes (e.g. it reached the failure hard limit). */
  record StatusChange(PresetStatus from, PresetStatus to, String reason) implements Action {
    public StatusChange {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Tell the template admins that creates stopped ({@code hard_limited} or {@code
   * validation_failed}). Emitted once per episode: the next one only after a reset.
   */
  record Notify(
      String notificationId, PresetStatus status, List<TemplateAdmin> recipients, String reason)
      implements Action {
    public Notify {
      Objects.requireNonNull(notificationId, "notificationId");
      Objects.requireNonNull(status, "status");
      recipients = List.copyOf(recipients);
      Objects.requireNonNull(reason, "reason");
    }
  }
}
