package io.prebuilds.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything the reconciler knows about one preset: its definition, its prebuilds, the commands in
 * flight, recent create outcomes, its status and counters.
 *
 * <p>Immutable. Every input is applied by a pure function returning a new state (and, where the
 * caller needs to know, what happened), so the topology only loads, calls, stores and forwards; no
 * rule lives in a processor.
 *
 * @param prebuilds the preset's workspaces, claimed ones included until their claim build finishes
 * @param commands our creates and deletes nobody has answered yet
 * @param createAttempts recent create build outcomes, oldest first
 * @param failureNotified whether the admins were told about the current hard-limit or
 *     validation-failure episode
 * @param paused whether reconciliation is paused (the global setting, copied in by the topology)
 * @param invalidatedAt when an operator last invalidated the preset; null if never
 * @param allowance the preset's share of its organization's capacity cap; null if uncapped (and in
 *     states stored before caps existed)
 * @param departed workspaces that left the pool within the last {@link #DEPARTED_MEMORY} before the
 *     latest departure, at most {@link #DEPARTED_MAX}, oldest first (empty in states stored before
 *     it was kept)
 */
public record PresetState(
    PresetDefinition definition,
    List<Prebuild> prebuilds,
    List<InFlightCommand> commands,
    List<CreateAttempt> createAttempts,
    PresetStatus status,
    boolean failureNotified,
    boolean paused,
    Instant invalidatedAt,
    PresetCounters counters,
    Allowance allowance,
    List<Departed> departed) {

  /**
   * How long a departed workspace is remembered, measured back from the latest departure. Inventory
   * snapshots come every few minutes and build events are deduplicated for a day besides, so an
   * hour is ample for late news and keeps the state small.
   */
  public static final Duration DEPARTED_MEMORY = Duration.ofHours(1);

  /** At most this many departed workspaces are remembered, the latest ones. */
  public static final int DEPARTED_MAX = 16;

  private static final Comparator<CreateAttempt> BY_COMPLETION =
      Comparator.comparing(CreateAttempt::completedAt).thenComparing(CreateAttempt::workspaceId);

  public PresetState {
    Objects.requireNonNull(definition, "definition");
    prebuilds = List.copyOf(prebuilds);
    commands = List.copyOf(commands);
    createAttempts = List.copyOf(createAttempts);
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(counters, "counters");
    departed = departed == null ? List.of() : List.copyOf(departed);
  }

  /** A newly defined preset: no prebuilds, nothing in flight, status normal. */
  public static PresetState of(PresetDefinition definition) {
    return new PresetState(
        definition,
        List.of(),
        List.of(),
        List.of(),
        PresetStatus.NORMAL,
        false,
        false,
        null,
        PresetCounters.ZERO,
        null,
        List.of());
  }

  public String presetId() {
    return definition.presetId();
  }

  /**
   * The latest invalidation, by the template or by an operator: prebuilds created before it are
   * expired. Null if never invalidated.
   */
  public Instant effectiveInvalidatedAt() {
    Instant byTemplate = definition.lastInvalidatedAt();
    if (byTemplate == null) {
      return invalidatedAt;
    }
    return invalidatedAt == null || byTemplate.isAfter(invalidatedAt) ? byTemplate : invalidatedAt;
  }

  /**
   * Whether nothing is left to do or remember: the preset is inactive (old version, deprecated or
   * deleted template), it has no workspaces (claimed ones included) and no commands in flight. A
   * drained preset's state can be dropped; if its definition comes back it starts afresh.
   */
  public boolean isDrained() {
    return !definition.isActive() && prebuilds.isEmpty() && commands.isEmpty();
  }

  /** Whether one of our deletes for the workspace is unanswered (timed out or not). */
  public boolean deleteInFlight(String workspaceId) {
    for (InFlightCommand command : commands) {
      if (command.kind() == CommandKind.DELETE && command.workspaceId().equals(workspaceId)) {
        return true;
      }
    }
    return false;
  }

  /** The prebuild with this workspace id, or null. */
  public Prebuild prebuild(String workspaceId) {
    for (Prebuild prebuild : prebuilds) {
      if (prebuild.workspaceId().equals(workspaceId)) {
        return prebuild;
      }
    }
    return null;
  }

  /**
   * A new definition from the template. A definition of another template version is a new
   * generation of the preset: it starts {@code normal} with no failure history, as Coder's new
   * presets do.
   */
  public PresetState withDefinition(PresetDefinition newDefinition) {
    if (!newDefinition.presetId().equals(definition.presetId())) {
      throw new IllegalArgumentException(
          "definition of preset " + newDefinition.presetId() + " given to preset " + presetId());
    }
    boolean newVersion = !newDefinition.templateVersionId().equals(definition.templateVersionId());
    return new PresetState(
        newDefinition,
        prebuilds,
        commands,
        newVersion ? List.of() : createAttempts,
        newVersion ? PresetStatus.NORMAL : status,
        !newVersion && failureNotified,
        paused,
        invalidatedAt,
        counters,
        allowance,
        departed);
  }

  /**
   * Copies the global pause setting in: while paused, decisions create, delete and cancel nothing.
   */
  public PresetState withPaused(boolean newPaused) {
    return new PresetState(
        definition,
        prebuilds,
        commands,
        createAttempts,
        status,
        failureNotified,
        newPaused,
        invalidatedAt,
        counters,
        allowance,
        departed);
  }

  /**
   * The admission stage shared the organization's capacity cap anew: the preset holds at most its
   * allowance (null: uncapped again).
   */
  public PresetState withAllowance(Allowance newAllowance) {
    return new PresetState(
        definition,
        prebuilds,
        commands,
        createAttempts,
        status,
        failureNotified,
        paused,
        invalidatedAt,
        counters,
        newAllowance,
        departed);
  }

  /** An operator invalidated the preset: every prebuild created before {@code now} expires. */
  public PresetState invalidate(Instant now) {
    Instant latest = invalidatedAt == null || now.isAfter(invalidatedAt) ? now : invalidatedAt;
    return new PresetState(
        definition,
        prebuilds,
        commands,
        createAttempts,
        status,
        failureNotified,
        paused,
        latest,
        counters,
        allowance,
        departed);
  }

  /**
   * An operator reset the preset: back to {@code normal}, earlier failures forgotten (so backoff
   * ends too), and the next episode notifies again. Coder has no such action (issue #17989).
   */
  public PresetState reset() {
    return new PresetState(
        definition,
        prebuilds,
        commands,
        List.of(),
        PresetStatus.NORMAL,
        false,
        paused,
        invalidatedAt,
        counters,
        allowance,
        departed);
  }

  /** The claim build of a claimed prebuild showed resource replacements. */
  public PresetState onResourceReplacements() {
    return new PresetState(
        definition,
        prebuilds,
        commands,
        createAttempts,
        status,
        failureNotified,
        paused,
        invalidatedAt,
        counters.plusResourceReplacements(),
        allowance,
        departed);
  }

  /**
   * A prebuild was handed to a user ({@link ClaimSelection} chose it): it leaves the pool at once,
   * is never deleted by us, and is forgotten when its claim build finishes.
   *
   * @throws IllegalArgumentException if the workspace is unknown or already claimed
   */
  public PresetState onClaimed(ClaimDecision.Claimed claimed) {
    Prebuild prebuild = prebuild(claimed.workspaceId());
    if (prebuild == null || prebuild.claimed()) {
      throw new IllegalArgumentException(
          "preset "
              + presetId()
              + ": workspace "
              + claimed.workspaceId()
              + " is not an unclaimed prebuild");
    }
    return new PresetState(
        definition,
        replace(prebuilds, prebuild.withClaim(claimed.claim())),
        commands,
        createAttempts,
        status,
        failureNotified,
        paused,
        invalidatedAt,
        counters.plusClaimed(),
        allowance,
        departed);
  }

  /**
   * Applies a finished build. Builds older than the one we know (by per-workspace build number) are
   * dropped as stale. A create build (our create command, or build 1) is recorded as a create
   * attempt for backoff and the hard limit; a validation failure records the attempt but no
   * workspace, since none was made. A build of a workspace we did not know adopts it, so events
   * lost upstream cannot hide a workspace from the reconciler, unless it may be a user's ({@link
   * BuildCompleted#mayAdopt()}).
   */
  public Applied<EventOutcome> onBuildCompleted(BuildCompleted build) {
    Prebuild known = prebuild(build.workspaceId());
    InFlightCommand answered = answeredCommand(build);
    List<InFlightCommand> remaining = without(commands, answered);
    Departed departure = known == null ? departure(build.workspaceId()) : null;
    if (departure != null && build.buildNumber() <= departure.buildNumber()) {
      return new Applied<>(this, EventOutcome.STALE_DROPPED);
    }
    if (known != null) {
      if (build.buildNumber() < known.buildNumber()
          || (build.buildNumber() == known.buildNumber() && !known.status().inProgress())) {
        return new Applied<>(this, EventOutcome.STALE_DROPPED);
      }
      if (known.claimed()) {
        boolean claimBuild = build.transition() == BuildTransition.START;
        boolean claimBuildSucceeded = claimBuild && build.status() == BuildStatus.SUCCEEDED;
        if (claimBuild
            && (build.status() == BuildStatus.FAILED || build.status() == BuildStatus.CANCELED)) {
          Prebuild failed =
              known
                  .withoutClaim()
                  .withBuild(
                      build.buildNumber(),
                      build.transition(),
                      build.status(),
                      build.templateVersionId(),
                      build.completedAt());
          return new Applied<>(
              withPrebuilds(replace(prebuilds, failed), remaining),
              EventOutcome.CLAIM_BUILD_FAILED);
        }
        return new Applied<>(
            withPrebuilds(without(prebuilds, known), remaining)
                .remembering(
                    List.of(
                        new Departed(
                            known.workspaceId(), build.buildNumber(), build.completedAt()))),
            claimBuildSucceeded
                ? EventOutcome.CLAIM_BUILD_SUCCEEDED
                : EventOutcome.CLAIMED_WORKSPACE_RELEASED);
      }
    }
    if (build.transition() == BuildTransition.DELETE && build.status() == BuildStatus.SUCCEEDED) {
      if (known == null && answered == null) {
        return new Applied<>(this, EventOutcome.UNKNOWN_WORKSPACE);
      }
      return new Applied<>(
          withPrebuilds(known == null ? prebuilds : without(prebuilds, known), remaining)
              .remembering(
                  List.of(
                      new Departed(build.workspaceId(), build.buildNumber(), build.completedAt()))),
          EventOutcome.APPLIED);
    }
    if (known == null && answered == null && !build.mayAdopt()) {
      return new Applied<>(this, EventOutcome.UNKNOWN_WORKSPACE);
    }
    boolean createBuild =
        build.transition() == BuildTransition.START
            && ((answered != null && answered.kind() == CommandKind.CREATE)
                || build.buildNumber() == 1);
    boolean validationFailure =
        build.status() == BuildStatus.FAILED && build.failureKind() == FailureKind.VALIDATION;
    List<CreateAttempt> attempts = createAttempts;
    PresetCounters newCounters = counters;
    if (createBuild && build.status() != BuildStatus.CANCELED) {
      CreateAttempt.Result result =
          validationFailure
              ? CreateAttempt.Result.VALIDATION_FAILED
              : build.status() == BuildStatus.SUCCEEDED
                  ? CreateAttempt.Result.SUCCEEDED
                  : CreateAttempt.Result.FAILED;
      attempts = withAttempt(new CreateAttempt(build.workspaceId(), build.completedAt(), result));
      if (!validationFailure) {
        newCounters = counters.plusCreated(build.status() == BuildStatus.FAILED);
      }
    }
    List<Prebuild> newPrebuilds;
    EventOutcome outcome = EventOutcome.APPLIED;
    if (known != null) {
      newPrebuilds =
          replace(
              prebuilds,
              known.withBuild(
                  build.buildNumber(),
                  build.transition(),
                  build.status(),
                  build.templateVersionId(),
                  build.completedAt()));
    } else if (validationFailure && createBuild) {
      newPrebuilds = prebuilds;
    } else {
      Instant createdAt = answered != null ? answered.issuedAt() : build.completedAt();
      newPrebuilds = new ArrayList<>(prebuilds);
      newPrebuilds.add(
          new Prebuild(
              build.workspaceId(),
              build.workspaceName(),
              build.buildNumber(),
              createdAt,
              build.transition(),
              build.status(),
              build.templateVersionId(),
              false,
              null,
              build.completedAt(),
              null));
      if (answered == null) {
        outcome = EventOutcome.ADOPTED;
      }
    }
    return new Applied<>(
        new PresetState(
            definition,
            newPrebuilds,
            remaining,
            attempts,
            status,
            failureNotified,
            paused,
            invalidatedAt,
            newCounters,
            allowance,
            departed),
        outcome);
  }

  /**
   * Applies an agent readiness report. A report about a build we have not seen finish means that
   * build is a start in progress; for a workspace we are still creating it records the build, so
   * readiness reported before the build's completion event is not lost. A report about an earlier
   * build, or observed before the last one applied for the same build, is stale: agents flap
   * between ready and not, and a late "not ready" must not take back a newer "ready" (or the other
   * way round).
   */
  public Applied<EventOutcome> onAgentStatus(AgentStatus status) {
    Prebuild known = prebuild(status.workspaceId());
    if (known == null) {
      InFlightCommand create = createFor(status.workspaceId());
      if (create == null) {
        return new Applied<>(this, EventOutcome.UNKNOWN_WORKSPACE);
      }
      List<Prebuild> added = new ArrayList<>(prebuilds);
      added.add(
          new Prebuild(
              status.workspaceId(),
              "",
              status.buildNumber(),
              create.issuedAt(),
              BuildTransition.START,
              BuildStatus.RUNNING,
              "",
              status.allReady(),
              null,
              status.observedAt(),
              status.observedAt()));
      return new Applied<>(withPrebuilds(added, commands), EventOutcome.APPLIED);
    }
    if (status.buildNumber() < known.buildNumber()
        || (status.buildNumber() == known.buildNumber()
            && known.agentReportIsStale(status.observedAt()))) {
      return new Applied<>(this, EventOutcome.STALE_DROPPED);
    }
    Prebuild updated =
        status.buildNumber() == known.buildNumber()
            ? known.withAgentsReady(status.allReady(), status.observedAt())
            : known
                .withBuild(
                    status.buildNumber(),
                    BuildTransition.START,
                    BuildStatus.RUNNING,
                    null,
                    status.observedAt())
                .withAgentsReady(status.allReady(), status.observedAt());
    return new Applied<>(
        withPrebuilds(replace(prebuilds, updated), commands), EventOutcome.APPLIED);
  }

  /**
   * Applies a worker's report that it could not carry out a command. A create that could not be
   * carried out counts as a failed create attempt, so a worker that keeps failing is backed off
   * like a failing template. A delete refused because the workspace is no longer ours removes the
   * workspace from the pool.
   */
  public Applied<EventOutcome> onCommandResult(CommandResult result) {
    InFlightCommand command = null;
    for (InFlightCommand candidate : commands) {
      if (candidate.commandId().equals(result.commandId())) {
        command = candidate;
      }
    }
    if (command == null) {
      return new Applied<>(this, EventOutcome.UNKNOWN_COMMAND);
    }
    List<InFlightCommand> remaining = without(commands, command);
    List<Prebuild> newPrebuilds = prebuilds;
    List<CreateAttempt> attempts = createAttempts;
    List<Departed> leaving = List.of();
    if (command.kind() == CommandKind.CREATE) {
      attempts =
          withAttempt(
              new CreateAttempt(
                  command.workspaceId(), result.reportedAt(), CreateAttempt.Result.FAILED));
    } else if (result.outcome() == CommandResult.Outcome.NOT_OWNED) {
      Prebuild gone = prebuild(command.workspaceId());
      newPrebuilds = gone == null ? prebuilds : without(prebuilds, gone);
      if (gone != null) {
        leaving =
            List.of(new Departed(gone.workspaceId(), gone.buildNumber(), result.reportedAt()));
      }
    }
    return new Applied<>(
        new PresetState(
                definition,
                newPrebuilds,
                remaining,
                attempts,
                status,
                failureNotified,
                paused,
                invalidatedAt,
                counters,
                allowance,
                departed)
            .remembering(leaving),
        EventOutcome.APPLIED);
  }

  /**
   * The admission stage put one of our queued commands on the command topic: its timeout starts
   * {@code at}. Unknown commands (already answered, cancelled, or not ours) change nothing.
   */
  public Applied<EventOutcome> onDispatched(String commandId, Instant at) {
    List<InFlightCommand> updated = new ArrayList<>(commands.size());
    boolean found = false;
    for (InFlightCommand command : commands) {
      if (command.commandId().equals(commandId) && command.queued()) {
        updated.add(command.dispatched(at));
        found = true;
      } else {
        updated.add(command);
      }
    }
    if (!found) {
      return new Applied<>(this, EventOutcome.UNKNOWN_COMMAND);
    }
    return new Applied<>(withPrebuilds(prebuilds, updated), EventOutcome.APPLIED);
  }

  /**
   * The admission stage dropped one of our queued commands (it became obsolete, or reconciliation
   * was paused): it never reached a worker, so it stops counting as in flight and the next decision
   * may issue it again if it is still needed. It is not a failed attempt.
   */
  public Applied<EventOutcome> onWithdrawn(String commandId) {
    for (InFlightCommand command : commands) {
      if (command.commandId().equals(commandId)) {
        return new Applied<>(
            withPrebuilds(prebuilds, without(commands, command)), EventOutcome.APPLIED);
      }
    }
    return new Applied<>(this, EventOutcome.UNKNOWN_COMMAND);
  }

  /**
   * Diffs a provisioner's inventory against what we know (anti-entropy). Workspaces it has that we
   * do not are adopted; newer builds we missed are applied; workspaces we know that it does not
   * have, and that we last heard of before the snapshot was taken, are forgotten (with any delete
   * we were waiting for). Claimed workspaces are the users' and left alone.
   */
  public Applied<InventoryDiff> onInventory(Inventory inventory) {
    Map<String, Inventory.Workspace> seen =
        inventory.workspaces().stream()
            .collect(
                Collectors.toMap(
                    Inventory.Workspace::workspaceId, Function.identity(), (a, b) -> a));
    int adopted = 0;
    int updated = 0;
    int forgotten = 0;
    List<Departed> leaving = new ArrayList<>();
    List<Prebuild> result = new ArrayList<>(prebuilds.size());
    Set<String> known = new HashSet<>();
    for (Prebuild prebuild : prebuilds) {
      known.add(prebuild.workspaceId());
      Inventory.Workspace actual = seen.get(prebuild.workspaceId());
      if (prebuild.claimed()) {
        result.add(prebuild);
      } else if (actual == null) {
        if (prebuild.updatedAt().isBefore(inventory.observedAt())) {
          forgotten++;
          leaving.add(
              new Departed(prebuild.workspaceId(), prebuild.buildNumber(), inventory.observedAt()));
        } else {
          result.add(prebuild);
        }
      } else if (actual.buildNumber() > prebuild.buildNumber()
          || (actual.buildNumber() == prebuild.buildNumber()
              && prebuild.status().inProgress()
              && !actual.status().inProgress())) {
        updated++;
        result.add(
            prebuild
                .withBuild(
                    actual.buildNumber(),
                    actual.transition(),
                    actual.status(),
                    actual.templateVersionId(),
                    inventory.observedAt())
                .withAgentsReady(actual.agentsReady(), inventory.observedAt()));
      } else {
        result.add(prebuild);
      }
    }
    for (Inventory.Workspace actual : inventory.workspaces()) {
      boolean deleted =
          actual.transition() == BuildTransition.DELETE && actual.status() == BuildStatus.SUCCEEDED;
      if (!deleted
          && !leftSince(actual.workspaceId(), inventory.observedAt())
          && known.add(actual.workspaceId())) {
        adopted++;
        result.add(
            new Prebuild(
                actual.workspaceId(),
                actual.workspaceName(),
                actual.buildNumber(),
                actual.createdAt(),
                actual.transition(),
                actual.status(),
                actual.templateVersionId(),
                actual.agentsReady(),
                null,
                inventory.observedAt(),
                inventory.observedAt()));
      }
    }
    InventoryDiff diff = new InventoryDiff(adopted, updated, forgotten);
    if (diff.unchanged()) {
      return new Applied<>(this, diff);
    }
    Set<String> remaining = new HashSet<>();
    for (Prebuild prebuild : result) {
      remaining.add(prebuild.workspaceId());
    }
    List<InFlightCommand> stillWaiting = new ArrayList<>(commands.size());
    for (InFlightCommand command : commands) {
      if (command.kind() == CommandKind.CREATE || remaining.contains(command.workspaceId())) {
        stillWaiting.add(command);
      }
    }
    return new Applied<>(withPrebuilds(result, stillWaiting).remembering(leaving), diff);
  }

  /** The remembered departure of the workspace, or null. */
  public Departed departure(String workspaceId) {
    for (Departed gone : departed) {
      if (gone.workspaceId().equals(workspaceId)) {
        return gone;
      }
    }
    return null;
  }

  /**
   * Whether the workspace left the pool at or after {@code observedAt}: older news of it is stale.
   */
  private boolean leftSince(String workspaceId, Instant observedAt) {
    Departed gone = departure(workspaceId);
    return gone != null && !gone.at().isBefore(observedAt);
  }

  /**
   * This state, remembering that {@code leaving} left the pool. Departures older than {@link
   * #DEPARTED_MEMORY} before the latest one are forgotten, and at most {@link #DEPARTED_MAX} are
   * kept (the latest).
   */
  private PresetState remembering(List<Departed> leaving) {
    if (leaving.isEmpty()) {
      return this;
    }
    Set<String> ids = new HashSet<>();
    for (Departed gone : leaving) {
      ids.add(gone.workspaceId());
    }
    List<Departed> all = new ArrayList<>(leaving);
    for (Departed gone : departed) {
      if (!ids.contains(gone.workspaceId())) {
        all.add(gone);
      }
    }
    all.sort(Comparator.comparing(Departed::at).thenComparing(Departed::workspaceId));
    Instant horizon = all.get(all.size() - 1).at().minus(DEPARTED_MEMORY);
    List<Departed> kept = new ArrayList<>(Math.min(all.size(), DEPARTED_MAX));
    for (Departed gone : all.subList(Math.max(0, all.size() - DEPARTED_MAX), all.size())) {
      if (!gone.at().isBefore(horizon)) {
        kept.add(gone);
      }
    }
    return new PresetState(
        definition,
        prebuilds,
        commands,
        createAttempts,
        status,
        failureNotified,
        paused,
        invalidatedAt,
        counters,
        allowance,
        kept);
  }

  /**
   * Records what a decision did, to be called after every decision whose commands were emitted:
   * creates and deletes become in-flight commands, canceled creates stop being waited for, status
   * changes and notifications are remembered, timed-out commands are dropped (and counted), and
   * create outcomes too old to matter for backoff or the hard limit are forgotten.
   */
  public PresetState onDecision(Decision decision, ReconcileConfig config) {
    return onDecision(decision, config, CommandStart.AT_ISSUE);
  }

  /**
   * {@link #onDecision(Decision, ReconcileConfig)}, with the new creates and deletes either
   * dispatched at once or queued until the admission stage reports their dispatch ({@link
   * #onDispatched}).
   */
  public PresetState onDecision(Decision decision, ReconcileConfig config, CommandStart start) {
    boolean queued = start == CommandStart.AT_DISPATCH;
    if (!decision.presetId().equals(presetId())) {
      throw new IllegalArgumentException(
          "decision of preset " + decision.presetId() + " applied to preset " + presetId());
    }
    Instant now = decision.decidedAt();
    List<InFlightCommand> newCommands = new ArrayList<>(commands.size());
    int timedOut = 0;
    for (InFlightCommand command : commands) {
      if (command.timedOut(now, config)) {
        timedOut++;
      } else {
        newCommands.add(command);
      }
    }
    PresetStatus newStatus = status;
    boolean notified = failureNotified;
    for (Action action : decision.actions()) {
      if (action instanceof Action.CreatePrebuild create) {
        newCommands.add(
            new InFlightCommand(
                create.commandId(),
                CommandKind.CREATE,
                create.workspaceId(),
                now,
                queued,
                queued ? null : now));
      } else if (action instanceof Action.DeletePrebuild delete) {
        newCommands.removeIf(
            c -> c.kind() == CommandKind.DELETE && c.workspaceId().equals(delete.workspaceId()));
        newCommands.add(
            new InFlightCommand(
                delete.commandId(),
                CommandKind.DELETE,
                delete.workspaceId(),
                now,
                queued,
                queued ? null : now));
      } else if (action instanceof Action.CancelPending cancel) {
        newCommands.removeIf(c -> cancel.createCommandIds().contains(c.commandId()));
      } else if (action instanceof Action.StatusChange change) {
        newStatus = change.to();
      } else if (action instanceof Action.Notify) {
        notified = true;
      }
      // BackoffUntil needs no memory: backoff is recomputed from the create attempts.
    }
    return new PresetState(
        definition,
        prebuilds,
        newCommands,
        pruneAttempts(now, config),
        newStatus,
        notified,
        paused,
        invalidatedAt,
        counters.plusTimedOut(timedOut),
        allowance,
        departed);
  }

  /**
   * Keeps the attempts backoff and the hard limit can still look at: those inside the lookback
   * window, and the latest {@code failureHardLimit} whatever their age.
   */
  private List<CreateAttempt> pruneAttempts(Instant now, ReconcileConfig config) {
    Instant windowStart = now.minus(config.backoffLookback());
    int keepLatest = Math.max(config.failureHardLimit(), 1);
    int size = createAttempts.size();
    List<CreateAttempt> kept = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      CreateAttempt attempt = createAttempts.get(i);
      if (i >= size - keepLatest || !attempt.completedAt().isBefore(windowStart)) {
        kept.add(attempt);
      }
    }
    return kept.size() == size ? createAttempts : kept;
  }

  private InFlightCommand answeredCommand(BuildCompleted build) {
    InFlightCommand byWorkspace = null;
    for (InFlightCommand command : commands) {
      if (build.commandId() != null && command.commandId().equals(build.commandId())) {
        return command;
      }
      boolean kindMatches =
          (command.kind() == CommandKind.DELETE) == (build.transition() == BuildTransition.DELETE);
      if (byWorkspace == null && kindMatches && command.workspaceId().equals(build.workspaceId())) {
        byWorkspace = command;
      }
    }
    return byWorkspace;
  }

  private InFlightCommand createFor(String workspaceId) {
    for (InFlightCommand command : commands) {
      if (command.kind() == CommandKind.CREATE && command.workspaceId().equals(workspaceId)) {
        return command;
      }
    }
    return null;
  }

  private List<CreateAttempt> withAttempt(CreateAttempt attempt) {
    List<CreateAttempt> attempts = new ArrayList<>(createAttempts);
    attempts.add(attempt);
    attempts.sort(BY_COMPLETION);
    return attempts;
  }

  private PresetState withPrebuilds(
      List<Prebuild> newPrebuilds, List<InFlightCommand> newCommands) {
    return new PresetState(
        definition,
        newPrebuilds,
        newCommands,
        createAttempts,
        status,
        failureNotified,
        paused,
        invalidatedAt,
        counters,
        allowance,
        departed);
  }

  private static List<Prebuild> replace(List<Prebuild> prebuilds, Prebuild updated) {
    List<Prebuild> result = new ArrayList<>(prebuilds.size());
    for (Prebuild prebuild : prebuilds) {
      result.add(prebuild.workspaceId().equals(updated.workspaceId()) ? updated : prebuild);
    }
    return result;
  }

  private static <T> List<T> without(List<T> list, T item) {
    if (item == null) {
      return list;
    }
    List<T> result = new ArrayList<>(list);
    result.remove(item);
    return result;
  }
}
