package io.prebuilds.reconcile;

import static io.prebuilds.reconcile.Fixtures.CONFIG;
import static io.prebuilds.reconcile.Fixtures.NOW;
import static io.prebuilds.reconcile.Fixtures.TRIGGER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants of {@link Reconciler#decide} over many random states. Each run is a seed, so a failure
 * names the seed that reproduces it; the seeds are fixed, so the build is repeatable.
 */
class DecisionPropertiesTest {

  static LongStream seeds() {
    return LongStream.range(0, 400);
  }

  private static PresetState randomState(long seed) {
    return RandomStates.state(new Random(seed), NOW);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theShortcutToTheNextChangeAgreesWithTheWholePool(long seed) {
    PresetState state = randomState(seed);
    Decision decision = Reconciler.decide(state, TRIGGER, NOW, CONFIG);
    PresetState after = state.onDecision(decision, CONFIG);
    for (PresetState each : List.of(state, after)) {
      for (Instant at :
          List.of(NOW, NOW.plus(Duration.ofMinutes(7)), NOW.plus(Duration.ofDays(2)))) {
        assertThat(Pool.nextChangeAt(each, at, CONFIG))
            .isEqualTo(Pool.of(each, at, CONFIG).nextChangeAt());
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void neverCreatesMoreThanAreMissing(long seed) {
    PresetState state = randomState(seed);
    Decision decision = Reconciler.decide(state, TRIGGER, NOW, CONFIG);
    Diagnostics d = decision.diagnostics();
    int creates = decision.actionsOf(Action.CreatePrebuild.class).size();
    int running = d.actual() - d.expired();
    assertThat(creates).isLessThanOrEqualTo(Math.max(d.desired() - running - d.starting(), 0));
    if (state.paused()
        || d.status() != PresetStatus.NORMAL
        || d.backoffUntil() != null
        || !state.definition().isActive()) {
      assertThat(creates).isZero();
    }
    Set<String> taken = new HashSet<>();
    state.prebuilds().forEach(p -> taken.add(p.workspaceId()));
    state.commands().forEach(c -> taken.add(c.workspaceId()));
    for (Action.CreatePrebuild create : decision.actionsOf(Action.CreatePrebuild.class)) {
      assertThat(taken.add(create.workspaceId())).as("fresh workspace id").isTrue();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void neverDeletesAClaimedWorkspaceOrOneAlreadyBeingDeleted(long seed) {
    PresetState state = randomState(seed);
    Decision decision = Reconciler.decide(state, TRIGGER, NOW, CONFIG);
    Set<String> deleted = new HashSet<>();
    for (Action.DeletePrebuild delete : decision.actionsOf(Action.DeletePrebuild.class)) {
      assertThat(deleted.add(delete.workspaceId())).as("deleted once").isTrue();
      Prebuild prebuild = state.prebuild(delete.workspaceId());
      assertThat(prebuild).as("deletes only known prebuilds").isNotNull();
      assertThat(prebuild.claimed()).as("claimed %s", prebuild.workspaceId()).isFalse();
      assertThat(prebuild.status().inProgress()).isFalse();
      boolean liveDelete =
          state.commands().stream()
              .anyMatch(
                  c ->
                      c.kind() == CommandKind.DELETE
                          && c.workspaceId().equals(delete.workspaceId())
                          && NOW.isBefore(c.timesOutAt(CONFIG)));
      assertThat(liveDelete).as("delete already in flight").isFalse();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void extraneousDeletesNeverTakeThePoolBelowDesired(long seed) {
    PresetState state = randomState(seed);
    Decision decision = Reconciler.decide(state, TRIGGER, NOW, CONFIG);
    Diagnostics d = decision.diagnostics();
    int running = d.actual() - d.expired();
    long extraneous =
        decision.actionsOf(Action.DeletePrebuild.class).stream()
            .filter(a -> a.deleteReason() == DeleteReason.EXTRANEOUS)
            .count();
    assertThat(running - extraneous).isGreaterThanOrEqualTo(Math.min(d.desired(), running));
    if (state.definition().isActive()) {
      long runningDeletes =
          decision.actionsOf(Action.DeletePrebuild.class).stream()
              .filter(a -> a.deleteReason() != DeleteReason.EXPIRED)
              .map(a -> state.prebuild(a.workspaceId()))
              .filter(Prebuild::started)
              .filter(
                  p -> !Pool.expired(p, state.definition(), state.effectiveInvalidatedAt(), NOW))
              .count();
      assertThat(runningDeletes).isEqualTo(extraneous);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void isDeterministicWhateverTheOrderOfItsInputs(long seed) {
    PresetState state = randomState(seed);
    Decision decision = Reconciler.decide(state, TRIGGER, NOW, CONFIG);
    assertThat(Reconciler.decide(state, TRIGGER, NOW, CONFIG)).isEqualTo(decision);
    List<Prebuild> prebuilds = new ArrayList<>(state.prebuilds());
    List<InFlightCommand> commands = new ArrayList<>(state.commands());
    Collections.shuffle(prebuilds, new Random(seed));
    Collections.shuffle(commands, new Random(seed + 1));
    PresetState shuffled =
        new PresetState(
            state.definition(),
            prebuilds,
            commands,
            state.createAttempts(),
            state.status(),
            state.failureNotified(),
            state.paused(),
            state.invalidatedAt(),
            state.counters(),
            state.allowance(),
            List.of());
    Decision other = Reconciler.decide(shuffled, TRIGGER, NOW, CONFIG);
    assertThat(other.actions()).isEqualTo(decision.actions());
    assertThat(other.diagnostics()).isEqualTo(decision.diagnostics());
    assertThat(other.nextDueAt()).isEqualTo(decision.nextDueAt());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void nothingChangesBeforeNextDueAtAndSomethingDoesAtIt(long seed) {
    PresetState state = randomState(seed);
    Decision decision = Reconciler.decide(state, TRIGGER, NOW, CONFIG);
    Instant due = decision.nextDueAt();
    Instant resync = NOW.plus(CONFIG.resyncAfter(state.presetId()));
    assertThat(due).isAfter(NOW).isBeforeOrEqualTo(resync);

    // Until nextDueAt the store holds the state with this decision's commands in flight.
    PresetState stored = state.onDecision(decision, CONFIG);
    Decision settled = Reconciler.decide(stored, TRIGGER, NOW.plusNanos(1), CONFIG);
    Random r = new Random(seed);
    long span = Duration.between(NOW, due).toNanos();
    List<Instant> probes = new ArrayList<>(List.of(NOW.plusNanos(2), due.minusNanos(1)));
    for (int i = 0; i < 8; i++) {
      probes.add(NOW.plusNanos(1 + (long) (r.nextDouble() * (span - 1))));
    }
    for (Instant t : probes) {
      Decision later = Reconciler.decide(stored, TRIGGER, t, CONFIG);
      assertThat(later.actions()).as("actions at %s (due %s)", t, due).isEqualTo(settled.actions());
      assertThat(later.diagnostics())
          .as("diagnostics at %s (due %s)", t, due)
          .isEqualTo(settled.diagnostics());
    }
    if (!due.equals(resync)) {
      Decision atDue = Reconciler.decide(stored, TRIGGER, due, CONFIG);
      assertThat(
              atDue.actions().equals(settled.actions())
                  && atDue.diagnostics().equals(settled.diagnostics()))
          .as("something changes at nextDueAt %s", due)
          .isFalse();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anIdleReconciledPresetIsNotDueBeforeItsResync(long seed) {
    Random r = new Random(seed);
    int desired = r.nextInt(6);
    Fixtures.StateBuilder builder =
        Fixtures.state(Fixtures.preset().id("p" + seed).desired(desired).build());
    builder.running(desired, NOW.minusSeconds(r.nextInt(100_000)), r.nextBoolean());
    if (r.nextBoolean()) {
      builder.attempt(NOW.minusSeconds(r.nextInt(100_000)), CreateAttempt.Result.SUCCEEDED);
    }
    PresetState state = builder.build();
    Decision decision = Reconciler.decide(state, TRIGGER, NOW, CONFIG);
    assertThat(decision.actions()).isEmpty();
    assertThat(decision.nextDueAt()).isEqualTo(NOW.plus(CONFIG.resyncAfter("p" + seed)));
  }
}
