package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A preset's prebuilds sorted into what the rules need at one instant. Claimed prebuilds belong to
 * users and are in no group; a prebuild with an unanswered, unexpired delete counts as deleting
 * only, so an event-driven loop never deletes twice for the same surplus.
 *
 * @param valid running and not expired, oldest first
 * @param expired running but past TTL or created before an invalidation, oldest first
 * @param stopped latest build is a successful stop, oldest first
 * @param canceled latest build was canceled, oldest first
 * @param failed latest build failed, oldest first
 * @param pendingCreateIds creates whose workspace we have not heard of (timed-out ones included)
 * @param queuedCreateIds pending creates the admission stage still holds, oldest issued first
 * @param nextChangeAt the earliest future expiry or command timeout, or null
 */
record Pool(
    List<Prebuild> valid,
    List<Prebuild> expired,
    List<Prebuild> stopped,
    List<Prebuild> canceled,
    List<Prebuild> failed,
    int eligible,
    int starting,
    int stopping,
    int deleting,
    int timedOut,
    List<String> pendingCreateIds,
    List<String> queuedCreateIds,
    Instant nextChangeAt) {

  private static final Comparator<InFlightCommand> OLDEST_ISSUED =
      Comparator.comparing(InFlightCommand::issuedAt).thenComparing(InFlightCommand::commandId);

  static Pool of(PresetState state, Instant now, ReconcileConfig config) {
    List<Prebuild> valid = new ArrayList<>();
    List<Prebuild> expired = new ArrayList<>();
    List<Prebuild> stopped = new ArrayList<>();
    List<Prebuild> canceled = new ArrayList<>();
    List<Prebuild> failed = new ArrayList<>();
    int eligible = 0;
    int starting = 0;
    int stopping = 0;
    int deleting = 0;

    LiveCommands live = LiveCommands.of(state, now, config);
    int timedOut = live.timedOut();
    Instant nextChangeAt = live.nextTimeoutAt();
    Set<String> deletesInFlight = live.deletes();
    boolean creates = false;
    for (InFlightCommand command : state.commands()) {
      creates |= command.kind() == CommandKind.CREATE;
    }

    PresetDefinition preset = state.definition();
    Instant invalidatedAt = state.effectiveInvalidatedAt();
    Set<String> known = creates ? new HashSet<>() : Set.of();
    for (Prebuild prebuild : state.prebuilds()) {
      if (creates) {
        known.add(prebuild.workspaceId());
      }
      if (prebuild.claimed()) {
        continue;
      }
      if (deletesInFlight.contains(prebuild.workspaceId())) {
        deleting++;
        continue;
      }
      BuildStatus status = prebuild.status();
      if (status.inProgress()) {
        switch (prebuild.transition()) {
          case START -> starting++;
          case STOP -> stopping++;
          case DELETE -> deleting++;
        }
        continue;
      }
      switch (status) {
        case SUCCEEDED -> {
          switch (prebuild.transition()) {
            case START -> {
              if (expired(prebuild, preset, invalidatedAt, now)) {
                expired.add(prebuild);
              } else {
                valid.add(prebuild);
                if (prebuild.agentsReady()) {
                  eligible++;
                }
                nextChangeAt = Reconciler.earliest(nextChangeAt, expiresAt(prebuild, preset));
              }
            }
            case STOP -> stopped.add(prebuild);
            case DELETE -> {
              // deleted: nothing left to count (the state forgets it on the build event)
            }
          }
        }
        case FAILED -> failed.add(prebuild);
        case CANCELED -> canceled.add(prebuild);
        case PENDING, RUNNING -> throw new IllegalStateException("handled above");
      }
    }

    List<String> pendingCreateIds = new ArrayList<>();
    List<InFlightCommand> queuedCreates = new ArrayList<>();
    for (InFlightCommand command : state.commands()) {
      if (command.kind() == CommandKind.CREATE && !known.contains(command.workspaceId())) {
        pendingCreateIds.add(command.commandId());
        if (command.queued()) {
          queuedCreates.add(command);
        }
        if (!command.timedOut(now, config)) {
          starting++;
        }
      }
    }
    pendingCreateIds.sort(null);
    queuedCreates.sort(OLDEST_ISSUED);
    valid.sort(Reconciler.OLDEST_FIRST);
    expired.sort(Reconciler.OLDEST_FIRST);
    stopped.sort(Reconciler.OLDEST_FIRST);
    canceled.sort(Reconciler.OLDEST_FIRST);
    failed.sort(Reconciler.OLDEST_FIRST);
    return new Pool(
        valid,
        expired,
        stopped,
        canceled,
        failed,
        eligible,
        starting,
        stopping,
        deleting,
        timedOut,
        pendingCreateIds,
        queuedCreates.stream().map(InFlightCommand::commandId).toList(),
        nextChangeAt);
  }

  /**
   * {@code of(state, now, config).nextChangeAt()} without sorting anything into groups: what a
   * decision needs of the pool its own commands leave behind, when that is all it needs.
   */
  static Instant nextChangeAt(PresetState state, Instant now, ReconcileConfig config) {
    LiveCommands live = LiveCommands.of(state, now, config);
    Instant next = live.nextTimeoutAt();
    PresetDefinition preset = state.definition();
    if (preset.ttl().isZero()) {
      return next;
    }
    Instant invalidatedAt = state.effectiveInvalidatedAt();
    for (Prebuild prebuild : state.prebuilds()) {
      if (!prebuild.claimed()
          && !live.deletes().contains(prebuild.workspaceId())
          && prebuild.started()
          && !expired(prebuild, preset, invalidatedAt, now)) {
        next = Reconciler.earliest(next, expiresAt(prebuild, preset));
      }
    }
    return next;
  }

  /** When a running prebuild reaches its TTL, or null without one. */
  private static Instant expiresAt(Prebuild prebuild, PresetDefinition preset) {
    return preset.ttl().isZero() ? null : prebuild.createdAt().plus(preset.ttl());
  }

  /**
   * The commands still waited for at {@code now}: the workspaces with a delete in flight, the
   * earliest of their timeouts, and how many have timed out.
   */
  private record LiveCommands(Set<String> deletes, Instant nextTimeoutAt, int timedOut) {

    static LiveCommands of(PresetState state, Instant now, ReconcileConfig config) {
      Set<String> deletes = Set.of();
      Instant nextTimeoutAt = null;
      int timedOut = 0;
      for (InFlightCommand command : state.commands()) {
        if (command.timedOut(now, config)) {
          timedOut++;
          continue;
        }
        nextTimeoutAt = Reconciler.earliest(nextTimeoutAt, command.timesOutAt(config));
        if (command.kind() == CommandKind.DELETE) {
          if (deletes.isEmpty()) {
            deletes = new HashSet<>();
          }
          deletes.add(command.workspaceId());
        }
      }
      return new LiveCommands(deletes, nextTimeoutAt, timedOut);
    }
  }

  /** Running prebuilds above the desired count (expired ones are replaced, not counted). */
  int extraneous(int desired) {
    return Math.max(valid.size() - desired, 0);
  }

  /**
   * Whether a running prebuild must be replaced: created before the latest invalidation, or at
   * least TTL old (the boundary instant counts as expired, so the next due time is exact).
   */
  static boolean expired(
      Prebuild prebuild, PresetDefinition preset, Instant invalidatedAt, Instant now) {
    if (invalidatedAt != null && prebuild.createdAt().isBefore(invalidatedAt)) {
      return true;
    }
    return !preset.ttl().isZero() && !now.isBefore(prebuild.createdAt().plus(preset.ttl()));
  }
}
