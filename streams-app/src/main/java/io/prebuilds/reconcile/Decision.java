package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@link Reconciler#decide}: what to do, what was seen, and when to look again.
 *
 * @param decidedAt the {@code now} the decision was made at; commands are issued at this time
 * @param actions in order: status changes, notifications, backoff, cancels, deletes, creates
 * @param nextDueAt the earliest instant the decision could change without a new event (backoff end,
 *     expiry, schedule boundary, command timeout), never later than the preset's resync
 */
public record Decision(
    String presetId,
    Trigger trigger,
    Instant decidedAt,
    List<Action> actions,
    Diagnostics diagnostics,
    Instant nextDueAt) {

  public Decision {
    Objects.requireNonNull(presetId, "presetId");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(decidedAt, "decidedAt");
    actions = List.copyOf(actions);
    Objects.requireNonNull(diagnostics, "diagnostics");
    Objects.requireNonNull(nextDueAt, "nextDueAt");
  }

  /**
   * The decision without its commands (creates, deletes, cancels): what a rebuild records for an
   * event that was answered long ago. Status changes, notifications and backoff stay, so the status
   * is rebuilt and an episode already notified is not notified again.
   */
  public Decision withoutCommands() {
    List<Action> kept =
        actions.stream()
            .filter(
                action ->
                    !(action instanceof Action.CreatePrebuild
                        || action instanceof Action.DeletePrebuild
                        || action instanceof Action.CancelPending))
            .toList();
    return new Decision(presetId, trigger, decidedAt, kept, diagnostics, nextDueAt);
  }

  /** The actions of one kind, in decision order. */
  public <A extends Action> List<A> actionsOf(Class<A> kind) {
    return actions.stream().filter(kind::isInstance).map(kind::cast).toList();
  }
}
