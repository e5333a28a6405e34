package io.prebuilds.reconcile;

import static io.prebuilds.reconcile.Fixtures.CONFIG;
import static io.prebuilds.reconcile.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Multi-step runs: every decision is fed back into the state, and a random world answers the
 * commands (builds succeed or fail, agents get ready, users claim, time passes, admins change the
 * preset). The invariants must hold after every step, and a healthy world must converge.
 */
class PoolSimulationTest {

  static LongStream seeds() {
    return LongStream.range(0, 150);
  }

  /** The simulated world: the preset's state, the clock, and a source of randomness. */
  private static final class World {
    final Random random;
    PresetState state;
    Instant now = NOW;
    int step;

    World(long seed) {
      random = new Random(seed);
      state = RandomStates.state(random, NOW);
    }

    Decision decideAndApply() {
      Trigger trigger = Trigger.event("/simulation", "event-" + step++);
      Decision decision = Reconciler.decide(state, trigger, now, CONFIG);
      checkDecision(state, decision, now);
      PresetCounters before = state.counters();
      state = state.onDecision(decision, CONFIG);
      checkState(state, before);
      return decision;
    }

    void answer(InFlightCommand command, boolean healthy) {
      if (command.kind() == CommandKind.CREATE) {
        int roll = healthy ? 0 : random.nextInt(20);
        BuildStatus status = roll < 15 ? BuildStatus.SUCCEEDED : BuildStatus.FAILED;
        FailureKind kind =
            roll == 19 ? FailureKind.VALIDATION : roll >= 15 ? FailureKind.TRANSIENT : null;
        apply(
            new BuildCompleted(
                command.workspaceId(),
                "",
                1,
                command.commandId(),
                null,
                state.definition().templateVersionId(),
                BuildTransition.START,
                status,
                kind,
                true,
                now));
      } else {
        Prebuild prebuild = state.prebuild(command.workspaceId());
        long number = prebuild == null ? 2 : prebuild.buildNumber() + 1;
        BuildStatus status =
            healthy || random.nextInt(10) > 0 ? BuildStatus.SUCCEEDED : BuildStatus.FAILED;
        apply(
            new BuildCompleted(
                command.workspaceId(),
                "",
                number,
                command.commandId(),
                null,
                "",
                BuildTransition.DELETE,
                status,
                status == BuildStatus.FAILED ? FailureKind.TRANSIENT : null,
                true,
                now));
      }
    }

    void apply(BuildCompleted build) {
      PresetCounters before = state.counters();
      state = state.onBuildCompleted(build).state();
      checkState(state, before);
    }

    void randomEvent() {
      List<InFlightCommand> commands = state.commands();
      List<Prebuild> prebuilds = state.prebuilds();
      switch (random.nextInt(14)) {
        case 0, 1, 2, 3, 4 -> {
          if (!commands.isEmpty()) {
            answer(commands.get(random.nextInt(commands.size())), false);
          }
        }
        case 5 -> {
          if (!prebuilds.isEmpty()) {
            Prebuild p = prebuilds.get(random.nextInt(prebuilds.size()));
            state =
                state
                    .onAgentStatus(new AgentStatus(p.workspaceId(), p.buildNumber(), true, now))
                    .state();
          }
        }
        case 6 -> {
          ClaimDecision claim =
              ClaimSelection.select(
                  state,
                  new ClaimRequest("claim-" + step, "user", "user", "mine", now.plusSeconds(30)),
                  now);
          if (claim instanceof ClaimDecision.Claimed claimed) {
            Prebuild chosen = state.prebuild(claimed.workspaceId());
            assertThat(chosen.started()).isTrue();
            assertThat(chosen.agentsReady()).isTrue();
            assertThat(state.deleteInFlight(chosen.workspaceId())).isFalse();
            assertThat(
                    Pool.expired(chosen, state.definition(), state.effectiveInvalidatedAt(), now))
                .isFalse();
            state = state.onClaimed(claimed);
          }
        }
        case 7 -> {
          for (Prebuild p : prebuilds) {
            if (p.claimed()) {
              apply(
                  new BuildCompleted(
                      p.workspaceId(),
                      "",
                      p.buildNumber() + 1,
                      null,
                      null,
                      "",
                      BuildTransition.START,
                      BuildStatus.SUCCEEDED,
                      null,
                      true,
                      now));
              break;
            }
          }
        }
        case 8 -> {
          if (!commands.isEmpty()) {
            InFlightCommand c = commands.get(random.nextInt(commands.size()));
            state =
                state
                    .onCommandResult(
                        new CommandResult(c.commandId(), CommandResult.Outcome.FAILED, "busy", now))
                    .state();
          }
        }
        case 9 -> now = now.plusSeconds(random.nextInt(2400));
        case 10 -> state = state.withDefinition(definitionWithDesired(random.nextInt(6)));
        case 11 -> {
          int what = random.nextInt(4);
          state =
              what == 0
                  ? state.reset()
                  : what == 1 ? state.invalidate(now) : state.withPaused(what == 2);
        }
        case 12 -> {
          if (!prebuilds.isEmpty()) {
            Prebuild p = prebuilds.get(random.nextInt(prebuilds.size()));
            if (!p.claimed()) {
              apply(
                  new BuildCompleted(
                      p.workspaceId(),
                      "",
                      p.buildNumber() + 1,
                      null,
                      null,
                      "",
                      BuildTransition.STOP,
                      BuildStatus.SUCCEEDED,
                      null,
                      true,
                      now));
            }
          }
        }
        default -> now = now.plusSeconds(1 + random.nextInt(30));
      }
    }

    PresetDefinition definitionWithDesired(int desired) {
      PresetDefinition d = state.definition();
      return new PresetDefinition(
          d.presetId(),
          d.presetName(),
          d.templateId(),
          d.templateName(),
          d.templateVersionId(),
          d.organizationId(),
          d.organizationName(),
          d.activeVersion(),
          d.templateDeleted(),
          d.templateDeprecated(),
          desired,
          d.schedules(),
          d.schedulingTimezone(),
          Duration.ZERO,
          d.lastInvalidatedAt(),
          d.lifecycle(),
          d.templateAdmins());
    }
  }

  private static void checkDecision(PresetState state, Decision decision, Instant now) {
    Diagnostics d = decision.diagnostics();
    int running = d.actual() - d.expired();
    int creates = decision.actionsOf(Action.CreatePrebuild.class).size();
    assertThat(creates).isLessThanOrEqualTo(Math.max(d.desired() - running - d.starting(), 0));
    assertThat(decision.nextDueAt()).isAfter(now);
    Set<String> deleted = new HashSet<>();
    long extraneous = 0;
    for (Action.DeletePrebuild delete : decision.actionsOf(Action.DeletePrebuild.class)) {
      assertThat(deleted.add(delete.workspaceId())).isTrue();
      Prebuild prebuild = state.prebuild(delete.workspaceId());
      assertThat(prebuild.claimed()).as("claimed workspaces are never deleted").isFalse();
      boolean live =
          state.commands().stream()
              .anyMatch(
                  c ->
                      c.kind() == CommandKind.DELETE
                          && c.workspaceId().equals(delete.workspaceId())
                          && now.isBefore(c.timesOutAt(CONFIG)));
      assertThat(live).as("no second delete while one is in flight").isFalse();
      if (delete.deleteReason() == DeleteReason.EXTRANEOUS) {
        extraneous++;
      }
    }
    assertThat(running - extraneous).isGreaterThanOrEqualTo(Math.min(d.desired(), running));
  }

  private static void checkState(PresetState state, PresetCounters before) {
    Set<String> deleting = new HashSet<>();
    for (InFlightCommand command : state.commands()) {
      if (command.kind() == CommandKind.DELETE) {
        assertThat(deleting.add(command.workspaceId())).as("one delete per workspace").isTrue();
      }
    }
    PresetCounters after = state.counters();
    assertThat(after.createdTotal()).isGreaterThanOrEqualTo(before.createdTotal());
    assertThat(after.failedTotal()).isGreaterThanOrEqualTo(before.failedTotal());
    assertThat(after.claimedTotal()).isGreaterThanOrEqualTo(before.claimedTotal());
    assertThat(after.resourceReplacementsTotal())
        .isGreaterThanOrEqualTo(before.resourceReplacementsTotal());
    assertThat(after.timedOutTotal()).isGreaterThanOrEqualTo(before.timedOutTotal());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void invariantsHoldAfterEveryStep(long seed) {
    World world = new World(seed);
    for (int i = 0; i < 80; i++) {
      world.decideAndApply();
      world.randomEvent();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aHealthyWorldConvergesToTheDesiredPool(long seed) {
    World world = new World(seed);
    for (int i = 0; i < 30; i++) {
      world.decideAndApply();
      world.randomEvent();
    }
    // From here on every build succeeds (including those already running), agents get ready,
    // and nothing else happens.
    int desired = world.random.nextInt(5);
    world.state =
        world.state.reset().withPaused(false).withDefinition(world.definitionWithDesired(desired));
    world.now = world.now.plus(Duration.ofHours(2));
    Decision last = null;
    for (int round = 0; round < 6; round++) {
      last = world.decideAndApply();
      for (InFlightCommand command : new ArrayList<>(world.state.commands())) {
        world.answer(command, true);
      }
      for (Prebuild p : world.state.prebuilds()) {
        if (p.status().inProgress()) {
          world.apply(
              new BuildCompleted(
                  p.workspaceId(),
                  "",
                  p.buildNumber(),
                  null,
                  null,
                  "",
                  p.transition(),
                  BuildStatus.SUCCEEDED,
                  null,
                  true,
                  world.now));
        }
      }
      for (Prebuild p : world.state.prebuilds()) {
        world.state =
            world
                .state
                .onAgentStatus(new AgentStatus(p.workspaceId(), p.buildNumber(), true, world.now))
                .state();
      }
      world.now = world.now.plusSeconds(5);
    }
    Decision settled = world.decideAndApply();
    Diagnostics d = settled.diagnostics();
    assertThat(settled.actions()).as("settled after %s", last).isEmpty();
    assertThat(d.desired())
        .isEqualTo(DesiredInstances.at(world.state.definition(), world.now).count());
    assertThat(d.actual()).as("%s", d).isEqualTo(d.desired());
    assertThat(d.eligible()).as("%s", d).isEqualTo(d.desired());
    assertThat(d.starting() + d.deleting()).isZero();
  }
}
