package io.prebuilds.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The decision core: given one preset's state, the time and the configuration, what does the pool
 * need? Pure and deterministic (same input, same decision, same ids), with Coder's rules and the
 * deliberate improvements listed in {@code docs/reconciliation.md}.
 */
public final class Reconciler {

  /** Oldest first; the workspace id breaks ties so the order never depends on input order. */
  static final Comparator<Prebuild> OLDEST_FIRST =
      Comparator.comparing(Prebuild::createdAt).thenComparing(Prebuild::workspaceId);

  private static final Diagnostics EMPTY_DIAGNOSTICS =
      new Diagnostics(0, 0, 0, 0, 0, 0, 0, 0, 0, "", null, PresetStatus.NORMAL, List.of());

  private Reconciler() {}

  /**
   * Decides what the preset's pool needs now.
   *
   * @param trigger what made us look (an input event, or a due time); command ids derive from it
   * @param now the wall-clock processing time; never read from a clock in here
   */
  public static Decision decide(
      PresetState state, Trigger trigger, Instant now, ReconcileConfig config) {
    PresetDefinition preset = state.definition();
    boolean active = preset.isActive();
    DesiredInstances desired = DesiredInstances.at(preset, now);
    Pool pool = Pool.of(state, now, config);

    List<String> explanation = new ArrayList<>();
    explanation.add("desired " + desired.count() + " (" + desired.source() + ")");
    for (String problem : desired.problems()) {
      explanation.add("schedule problem: " + problem);
    }
    int target = active ? capped(desired.count(), state.allowance(), explanation) : desired.count();
    List<Action> actions = new ArrayList<>();

    PresetStatus status = state.status();
    Backoff backoff = null;
    if (active) {
      PresetStatus reached = FailureLimit.reached(state, config);
      if (reached != status) {
        String why = FailureLimit.describe(reached, config);
        actions.add(new Action.StatusChange(status, reached, why));
        status = reached;
      }
      if (status != PresetStatus.NORMAL && !state.failureNotified()) {
        String notificationId =
            CommandIds.commandId(preset.presetId(), trigger, "notify", status.wireName());
        actions.add(
            new Action.Notify(
                notificationId,
                status,
                preset.templateAdmins(),
                "telling "
                    + preset.templateAdmins().size()
                    + " template admin(s): creates stopped ("
                    + status.wireName()
                    + ")"));
      }
      backoff = Backoff.of(state.createAttempts(), target, now, config);
      if (backoff != null) {
        actions.add(
            new Action.BackoffUntil(
                backoff.until(),
                backoff.failedInLookback(),
                "no creates until "
                    + backoff.until()
                    + ": "
                    + backoff.failedInLookback()
                    + " create build(s) failed in the last "
                    + human(config.backoffLookback())
                    + ", the last at "
                    + backoff.lastFailedAt()));
      }
    }

    List<Action> commands = new ArrayList<>();
    if (active) {
      if (!pool.expired().isEmpty()) {
        deleteAll(
            commands, state, trigger, pool.expired(), DeleteReason.EXPIRED, expiredWhy(state));
      }
      int extraneous = pool.extraneous(target);
      if (extraneous > 0) {
        String why =
            "extraneous (oldest first): running " + pool.valid().size() + ", desired " + target;
        deleteAll(
            commands,
            state,
            trigger,
            pool.valid().subList(0, extraneous),
            DeleteReason.EXTRANEOUS,
            why);
      }
      deleteAll(commands, state, trigger, pool.stopped(), DeleteReason.STOPPED, "stopped");
      deleteAll(commands, state, trigger, pool.canceled(), DeleteReason.CANCELED, "canceled");
      List<Prebuild> failed = pool.failed();
      int keep = Math.min(config.failedRetention(), failed.size());
      deleteAll(
          commands,
          state,
          trigger,
          failed.subList(0, failed.size() - keep),
          DeleteReason.FAILED,
          "failed (the newest " + config.failedRetention() + " kept for inspection)");
      int missing = Math.max(target - pool.valid().size() - pool.starting(), 0);
      if (missing > 0) {
        String counts =
            ": desired "
                + target
                + " ("
                + desired.source()
                + "), running "
                + pool.valid().size()
                + ", starting "
                + pool.starting();
        if (status != PresetStatus.NORMAL) {
          explanation.add(
              "not creating " + missing + ": creates stopped (" + status.wireName() + ")" + counts);
        } else if (backoff != null) {
          explanation.add(
              "not creating " + missing + " before " + backoff.until() + " (backoff)" + counts);
        } else {
          String why = "creating " + missing + counts;
          for (int slot = 0; slot < missing; slot++) {
            String commandId =
                CommandIds.commandId(preset.presetId(), trigger, "create", Integer.toString(slot));
            CommandIds.Workspace workspace = CommandIds.workspace(commandId);
            commands.add(
                new Action.CreatePrebuild(
                    commandId, workspace.id(), workspace.name(), preset.templateVersionId(), why));
          }
        }
      }
      withdrawSurplus(commands, pool, target, preset.presetId(), trigger);
    } else {
      List<String> pending = pool.pendingCreateIds();
      if (!pending.isEmpty()) {
        commands.add(
            new Action.CancelPending(
                CommandIds.commandId(
                    preset.presetId(), trigger, "cancel-pending", preset.templateVersionId()),
                pending,
                "cancelling " + pending.size() + " pending create(s): " + desired.source()));
      }
      List<Prebuild> all = new ArrayList<>(pool.valid());
      all.addAll(pool.expired());
      all.addAll(pool.stopped());
      all.addAll(pool.canceled());
      all.addAll(pool.failed());
      all.sort(OLDEST_FIRST);
      DeleteReason reason =
          preset.templateDeleted() ? DeleteReason.TEMPLATE_DELETED : DeleteReason.OUTDATED;
      deleteAll(commands, state, trigger, all, reason, desired.source());
    }

    if (state.paused()) {
      if (!commands.isEmpty()) {
        explanation.add(
            "reconciliation is paused: "
                + commands.size()
                + " create/delete/cancel action(s) held");
      }
    } else {
      actions.addAll(commands);
    }
    for (Action action : actions) {
      if (!explanation.contains(action.reason())) {
        explanation.add(action.reason());
      }
    }

    Diagnostics diagnostics =
        new Diagnostics(
            pool.valid().size() + pool.expired().size(),
            target,
            active ? pool.eligible() : 0,
            active ? pool.extraneous(target) : 0,
            pool.expired().size(),
            pool.starting(),
            pool.stopping(),
            pool.deleting(),
            pool.timedOut(),
            desired.source(),
            backoff == null ? null : backoff.until(),
            status,
            explanation);
    Instant resync = now.plus(config.resyncAfter(preset.presetId()));
    Instant nextDueAt = earliest(resync, active ? desired.nextChangeAt() : null);
    nextDueAt = earliest(nextDueAt, poolAfter(state, actions, pool, trigger, now, config));
    if (backoff != null) {
      nextDueAt = earliest(nextDueAt, backoff.until());
      nextDueAt = earliest(nextDueAt, backoff.windowChangeAt());
    }
    return new Decision(preset.presetId(), trigger, now, actions, diagnostics, nextDueAt);
  }

  /**
   * The pool size to aim for: the desired count, trimmed to the preset's share of its
   * organization's capacity cap. A trimmed preset behaves as if its desired count were lowered: it
   * creates up to the allowance, withdraws queued creates above it, and deletes running prebuilds
   * above it (oldest first), so the organization's prebuilds come down to the cap; its explanation
   * says why.
   */
  private static int capped(int desired, Allowance allowance, List<String> explanation) {
    if (allowance == null || allowance.prebuilds() >= desired) {
      return desired;
    }
    explanation.add(
        allowance.presets() == 0
            ? "desired "
                + desired
                + " trimmed to 0: waiting for a share of organization cap "
                + allowance.cap()
            : "desired "
                + desired
                + " trimmed to "
                + allowance.prebuilds()
                + ": organization cap "
                + allowance.cap()
                + " shared by "
                + allowance.presets()
                + (allowance.presets() == 1 ? " preset" : " presets"));
    return allowance.prebuilds();
  }

  /**
   * After desired went down, creates the admission stage still holds are no longer needed: the
   * newest of them are cancelled (the stage withdraws them unsent). Creates already dispatched are
   * left to finish; a surplus they leave is deleted as extraneous later.
   */
  private static void withdrawSurplus(
      List<Action> commands, Pool pool, int target, String presetId, Trigger trigger) {
    int surplus = pool.valid().size() + pool.starting() - target;
    List<String> queued = pool.queuedCreateIds();
    if (surplus <= 0 || queued.isEmpty()) {
      return;
    }
    List<String> withdrawn = queued.subList(Math.max(queued.size() - surplus, 0), queued.size());
    commands.add(
        new Action.CancelPending(
            CommandIds.commandId(presetId, trigger, "cancel-pending", "queued"),
            withdrawn,
            "withdrawing "
                + withdrawn.size()
                + " queued create(s) no longer needed: desired "
                + target
                + ", running "
                + pool.valid().size()
                + ", starting "
                + pool.starting()));
  }

  private static void deleteAll(
      List<Action> actions,
      PresetState state,
      Trigger trigger,
      List<Prebuild> prebuilds,
      DeleteReason reason,
      String why) {
    for (Prebuild prebuild : prebuilds) {
      String commandId =
          CommandIds.commandId(
              state.presetId(),
              trigger,
              "delete",
              prebuild.workspaceId() + "#" + prebuild.buildNumber());
      actions.add(
          new Action.DeletePrebuild(
              commandId,
              prebuild.workspaceId(),
              prebuild.templateVersionId(),
              reason,
              "deleting " + prebuild.workspaceId() + ": " + why));
    }
  }

  private static String expiredWhy(PresetState state) {
    PresetDefinition preset = state.definition();
    Instant invalidated = state.effectiveInvalidatedAt();
    List<String> rules = new ArrayList<>(2);
    if (!preset.ttl().isZero()) {
      rules.add("older than its TTL of " + preset.ttl().toSeconds() + "s");
    }
    if (invalidated != null) {
      rules.add("created before the invalidation at " + invalidated);
    }
    return "expired (" + String.join(" or ", rules) + ")";
  }

  /**
   * When the pool next changes by itself once this decision's commands are in flight: the state
   * that stays stored until {@code nextDueAt} is the one after the decision, so its expiries and
   * command timeouts are what count (a prebuild deleted now no longer matters when it expires).
   */
  private static Instant poolAfter(
      PresetState state,
      List<Action> actions,
      Pool pool,
      Trigger trigger,
      Instant now,
      ReconcileConfig config) {
    if (actions.isEmpty()) {
      return pool.nextChangeAt();
    }
    Decision issued = new Decision(state.presetId(), trigger, now, actions, EMPTY_DIAGNOSTICS, now);
    return Pool.nextChangeAt(state.onDecision(issued, config), now, config);
  }

  static String human(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  static Instant earliest(Instant a, Instant b) {
    if (b == null) {
      return a;
    }
    return a == null || b.isBefore(a) ? b : a;
  }
}
