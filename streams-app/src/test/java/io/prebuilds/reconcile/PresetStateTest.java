package io.prebuilds.reconcile;

import static io.prebuilds.reconcile.Fixtures.CONFIG;
import static io.prebuilds.reconcile.Fixtures.NOW;
import static io.prebuilds.reconcile.Fixtures.TRIGGER;
import static io.prebuilds.reconcile.Fixtures.preset;
import static io.prebuilds.reconcile.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** How each input changes a preset's state, and what the caller is told. */
class PresetStateTest {

  private static BuildCompleted build(
      String workspaceId,
      long number,
      String commandId,
      BuildTransition transition,
      BuildStatus status,
      Instant at) {
    return new BuildCompleted(
        workspaceId,
        "name",
        number,
        commandId,
        null,
        "version-1",
        transition,
        status,
        null,
        true,
        at);
  }

  private static PresetState creatingOne() {
    return state(1).creating(1, NOW).build();
  }

  /** The successful claim build (build 2) of the claimed prebuild {@code workspaceId}. */
  private static BuildCompleted claimBuild(String workspaceId, Instant at) {
    return new BuildCompleted(
        workspaceId,
        "mine",
        2,
        null,
        "claim-" + workspaceId,
        "version-1",
        BuildTransition.START,
        BuildStatus.SUCCEEDED,
        null,
        false,
        at);
  }

  /** A running prebuild with ready agents, as an inventory lists it. */
  private static Inventory.Workspace listed(String workspaceId) {
    return new Inventory.Workspace(
        workspaceId, "", 1, BuildTransition.START, BuildStatus.SUCCEEDED, "version-1", true, NOW);
  }

  /** {@link #creatingOne()} after its create build ({@code new-0}) succeeded at {@code at}. */
  private static PresetState createdAt(Instant at) {
    return creatingOne()
        .onBuildCompleted(
            build("new-0", 1, "create-0", BuildTransition.START, BuildStatus.SUCCEEDED, at))
        .state();
  }

  @Test
  void aSuccessfulCreateBuildAddsARunningPrebuildAndAnswersTheCommand() {
    Applied<EventOutcome> applied =
        creatingOne()
            .onBuildCompleted(
                build(
                    "new-0",
                    1,
                    "create-0",
                    BuildTransition.START,
                    BuildStatus.SUCCEEDED,
                    NOW.plusSeconds(90)));
    assertThat(applied.outcome()).isEqualTo(EventOutcome.APPLIED);
    PresetState state = applied.state();
    assertThat(state.commands()).isEmpty();
    Prebuild prebuild = state.prebuild("new-0");
    assertThat(prebuild.started()).isTrue();
    assertThat(prebuild.createdAt()).isEqualTo(NOW);
    assertThat(prebuild.agentsReady()).isFalse();
    assertThat(state.createAttempts())
        .containsExactly(
            new CreateAttempt("new-0", NOW.plusSeconds(90), CreateAttempt.Result.SUCCEEDED));
    assertThat(state.counters()).isEqualTo(new PresetCounters(1, 0, 0, 0, 0));
  }

  @Test
  void aFailedCreateBuildIsAFailedAttemptAndAFailedPrebuild() {
    PresetState state =
        creatingOne()
            .onBuildCompleted(
                build("new-0", 1, "create-0", BuildTransition.START, BuildStatus.FAILED, NOW))
            .state();
    assertThat(state.prebuild("new-0").status()).isEqualTo(BuildStatus.FAILED);
    assertThat(state.createAttempts())
        .singleElement()
        .extracting(CreateAttempt::result)
        .isEqualTo(CreateAttempt.Result.FAILED);
    assertThat(state.counters()).isEqualTo(new PresetCounters(1, 1, 0, 0, 0));
  }

  @Test
  void aValidationFailureRecordsTheAttemptButNoWorkspace() {
    PresetState state =
        creatingOne()
            .onBuildCompleted(
                new BuildCompleted(
                    "new-0",
                    "",
                    1,
                    "create-0",
                    null,
                    "version-1",
                    BuildTransition.START,
                    BuildStatus.FAILED,
                    FailureKind.VALIDATION,
                    true,
                    NOW))
            .state();
    assertThat(state.prebuilds()).isEmpty();
    assertThat(state.commands()).isEmpty();
    assertThat(state.createAttempts())
        .singleElement()
        .extracting(CreateAttempt::result)
        .isEqualTo(CreateAttempt.Result.VALIDATION_FAILED);
    assertThat(state.counters()).isEqualTo(PresetCounters.ZERO);
  }

  @Test
  void anOlderBuildIsStaleAndChangesNothing() {
    PresetState state =
        state(1)
            .running("w", NOW, true)
            .build()
            .onBuildCompleted(build("w", 2, null, BuildTransition.STOP, BuildStatus.SUCCEEDED, NOW))
            .state();
    Applied<EventOutcome> stale =
        state.onBuildCompleted(
            build("w", 1, null, BuildTransition.START, BuildStatus.SUCCEEDED, NOW));
    assertThat(stale.outcome()).isEqualTo(EventOutcome.STALE_DROPPED);
    assertThat(stale.state()).isSameAs(state);
    Applied<EventOutcome> duplicate =
        state.onBuildCompleted(
            build("w", 2, null, BuildTransition.STOP, BuildStatus.SUCCEEDED, NOW));
    assertThat(duplicate.outcome()).isEqualTo(EventOutcome.STALE_DROPPED);
  }

  @Test
  void aBuildOfAnUnknownWorkspaceAdoptsIt() {
    Applied<EventOutcome> applied =
        state(1)
            .build()
            .onBuildCompleted(
                build("stray", 4, null, BuildTransition.STOP, BuildStatus.SUCCEEDED, NOW));
    assertThat(applied.outcome()).isEqualTo(EventOutcome.ADOPTED);
    assertThat(applied.state().prebuild("stray").transition()).isEqualTo(BuildTransition.STOP);
    assertThat(applied.state().createAttempts()).isEmpty();
  }

  @Test
  void aClaimBuildOfAWorkspaceThatLeftThePoolDoesNotBringItBack() {
    PresetState claimed = state(1).claimed("w", NOW).build();
    BuildCompleted claimBuild = claimBuild("w", NOW.plusSeconds(20));
    PresetState departed = claimed.onBuildCompleted(claimBuild).state();
    assertThat(departed.prebuild("w")).isNull();
    assertThat(departed.departure("w")).isEqualTo(new Departed("w", 2, NOW.plusSeconds(20)));

    Applied<EventOutcome> again = departed.onBuildCompleted(claimBuild);
    assertThat(again.outcome())
        .as("the departure is remembered")
        .isEqualTo(EventOutcome.STALE_DROPPED);
    assertThat(again.state()).isSameAs(departed);

    PresetState forgotten = state(1).build();
    assertThat(forgotten.onBuildCompleted(claimBuild).outcome())
        .as("once the departure is forgotten, the claim id alone keeps it out")
        .isEqualTo(EventOutcome.UNKNOWN_WORKSPACE);
  }

  @Test
  void aLateCreateBuildOfADeletedWorkspaceIsStale() {
    BuildCompleted created = build("w", 1, null, BuildTransition.START, BuildStatus.SUCCEEDED, NOW);
    PresetState deleted =
        state(1)
            .running("w", NOW, true)
            .deleting("w", NOW)
            .build()
            .onBuildCompleted(
                build("w", 2, "delete-w", BuildTransition.DELETE, BuildStatus.SUCCEEDED, NOW))
            .state();
    assertThat(deleted.prebuilds()).isEmpty();

    Applied<EventOutcome> late = deleted.onBuildCompleted(created);

    assertThat(late.outcome()).isEqualTo(EventOutcome.STALE_DROPPED);
    assertThat(late.state().prebuilds()).isEmpty();
    assertThat(
            deleted
                .onBuildCompleted(
                    build("w", 3, null, BuildTransition.START, BuildStatus.SUCCEEDED, NOW))
                .outcome())
        .as("a newer build than the one it left with is news")
        .isEqualTo(EventOutcome.ADOPTED);
  }

  @Test
  void anInventoryTakenBeforeAClaimDoesNotPutTheClaimedWorkspaceBack() {
    PresetState claimed =
        state(1)
            .claimed("w", NOW)
            .build()
            .onBuildCompleted(claimBuild("w", NOW.plusSeconds(20)))
            .state();
    Inventory.Workspace stillOurs = listed("w");

    Applied<InventoryDiff> before =
        claimed.onInventory(new Inventory(NOW.plusSeconds(10), List.of(stillOurs)));
    assertThat(before.outcome().adopted()).isZero();
    assertThat(before.state().prebuild("w")).isNull();

    Applied<InventoryDiff> after =
        claimed.onInventory(new Inventory(NOW.plusSeconds(30), List.of(stillOurs)));
    assertThat(after.outcome().adopted())
        .as("a snapshot taken after it left that still lists it as ours is believed")
        .isEqualTo(1);
  }

  @Test
  void departuresAreRememberedForAnHourAndAtMostSixteen() {
    PresetState state = state(1).build();
    for (int i = 0; i < 20; i++) {
      state =
          state
              .onBuildCompleted(
                  build(
                      "w" + i,
                      2,
                      null,
                      BuildTransition.DELETE,
                      BuildStatus.SUCCEEDED,
                      NOW.plusSeconds(i)))
              .state();
    }
    // Unknown deletes are not departures of ours: only what the pool held is remembered.
    assertThat(state.departed()).isEmpty();

    for (int i = 0; i < 20; i++) {
      state =
          state
              .onInventory(new Inventory(NOW.plusSeconds(i), List.of(listed("w" + i))))
              .state()
              .onBuildCompleted(
                  build(
                      "w" + i,
                      2,
                      null,
                      BuildTransition.DELETE,
                      BuildStatus.SUCCEEDED,
                      NOW.plusSeconds(i).plusMillis(1)))
              .state();
    }
    assertThat(state.departed()).hasSize(PresetState.DEPARTED_MAX);
    assertThat(state.departed().get(0).workspaceId()).isEqualTo("w4");

    PresetState later =
        state
            .onInventory(
                new Inventory(
                    NOW.plus(PresetState.DEPARTED_MEMORY).plusSeconds(30), List.of(listed("late"))))
            .state()
            .onBuildCompleted(
                build(
                    "late",
                    2,
                    null,
                    BuildTransition.DELETE,
                    BuildStatus.SUCCEEDED,
                    NOW.plus(PresetState.DEPARTED_MEMORY).plusSeconds(30)))
            .state();
    assertThat(later.departed())
        .extracting(Departed::workspaceId)
        .as("w4..w19 left more than an hour before 'late'")
        .containsExactly("late");
  }

  @Test
  void aBuildSomeoneElseStartedOfAnUnknownWorkspaceIsNotAdopted() {
    PresetState state = state(1).build();
    Applied<EventOutcome> usersStop =
        state.onBuildCompleted(
            new BuildCompleted(
                "users",
                "mine",
                3,
                null,
                null,
                "version-1",
                BuildTransition.STOP,
                BuildStatus.SUCCEEDED,
                null,
                false,
                NOW));
    assertThat(usersStop.outcome()).isEqualTo(EventOutcome.UNKNOWN_WORKSPACE);
    assertThat(usersStop.state().prebuilds()).isEmpty();
  }

  @Test
  void aSuccessfulDeleteForgetsTheWorkspace() {
    PresetState state = state(1).running("w", NOW, true).deleting("w", NOW).build();
    Applied<EventOutcome> applied =
        state.onBuildCompleted(
            build("w", 2, "delete-w", BuildTransition.DELETE, BuildStatus.SUCCEEDED, NOW));
    assertThat(applied.outcome()).isEqualTo(EventOutcome.APPLIED);
    assertThat(applied.state().prebuilds()).isEmpty();
    assertThat(applied.state().commands()).isEmpty();
    assertThat(
            state(1)
                .build()
                .onBuildCompleted(
                    build("gone", 2, null, BuildTransition.DELETE, BuildStatus.SUCCEEDED, NOW))
                .outcome())
        .isEqualTo(EventOutcome.UNKNOWN_WORKSPACE);
  }

  @Test
  void aFailedDeleteLeavesAFailedPrebuildAndAnswersTheCommand() {
    PresetState state =
        state(1)
            .running("w", NOW, true)
            .deleting("w", NOW)
            .build()
            .onBuildCompleted(build("w", 2, null, BuildTransition.DELETE, BuildStatus.FAILED, NOW))
            .state();
    assertThat(state.commands()).isEmpty();
    assertThat(state.prebuild("w").status()).isEqualTo(BuildStatus.FAILED);
    assertThat(state.createAttempts()).isEmpty();
  }

  @Test
  void theClaimBuildOfAClaimedPrebuildHandsItOver() {
    PresetState state = state(1).running("w", NOW, true).build();
    ClaimDecision.Claimed claimed =
        (ClaimDecision.Claimed)
            ClaimSelection.select(
                state, new ClaimRequest("c1", "u1", "u1", "mine", NOW.plusSeconds(5)), NOW);
    PresetState afterClaim = state.onClaimed(claimed);
    assertThat(afterClaim.prebuild("w").claimed()).isTrue();
    assertThat(afterClaim.counters().claimedTotal()).isEqualTo(1);
    Applied<EventOutcome> claimBuild =
        afterClaim.onBuildCompleted(
            build("w", 2, null, BuildTransition.START, BuildStatus.SUCCEEDED, NOW.plusSeconds(30)));
    assertThat(claimBuild.outcome()).isEqualTo(EventOutcome.CLAIM_BUILD_SUCCEEDED);
    assertThat(claimBuild.state().prebuilds()).isEmpty();
    assertThat(claimBuild.state().createAttempts()).isEmpty();
    assertThat(
            afterClaim
                .onBuildCompleted(
                    build("w", 2, null, BuildTransition.STOP, BuildStatus.SUCCEEDED, NOW))
                .outcome())
        .isEqualTo(EventOutcome.CLAIMED_WORKSPACE_RELEASED);
    assertThatThrownBy(() -> afterClaim.onClaimed(claimed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workspace w is not an unclaimed prebuild");
  }

  @Test
  void aFailedClaimBuildPutsTheWorkspaceBackAsAFailedPrebuildForHygiene() {
    PresetState state = state(1).running("w", NOW, true).build();
    ClaimDecision.Claimed claimed =
        (ClaimDecision.Claimed)
            ClaimSelection.select(
                state, new ClaimRequest("c1", "u1", "u1", "mine", NOW.plusSeconds(5)), NOW);
    PresetState afterClaim = state.onClaimed(claimed);

    Applied<EventOutcome> failed =
        afterClaim.onBuildCompleted(
            build("w", 2, null, BuildTransition.START, BuildStatus.FAILED, NOW.plusSeconds(30)));

    assertThat(failed.outcome()).isEqualTo(EventOutcome.CLAIM_BUILD_FAILED);
    Prebuild released = failed.state().prebuild("w");
    assertThat(released.claimed()).isFalse();
    assertThat(released.status()).isEqualTo(BuildStatus.FAILED);
    assertThat(released.buildNumber()).isEqualTo(2);
    assertThat(failed.state().createAttempts()).isEmpty();
    assertThat(
            failed
                .state()
                .onBuildCompleted(
                    build("w", 2, null, BuildTransition.START, BuildStatus.FAILED, NOW))
                .outcome())
        .isEqualTo(EventOutcome.STALE_DROPPED);
  }

  @Test
  void agentReadinessIsKeptPerBuild() {
    PresetState state = state(1).running("w", NOW, false).build();
    Applied<EventOutcome> ready = state.onAgentStatus(new AgentStatus("w", 1, true, NOW));
    assertThat(ready.outcome()).isEqualTo(EventOutcome.APPLIED);
    assertThat(ready.state().prebuild("w").agentsReady()).isTrue();
    PresetState stopped =
        ready
            .state()
            .onBuildCompleted(build("w", 2, null, BuildTransition.STOP, BuildStatus.SUCCEEDED, NOW))
            .state();
    assertThat(stopped.prebuild("w").agentsReady()).isFalse();
    assertThat(stopped.onAgentStatus(new AgentStatus("w", 1, true, NOW)).outcome())
        .isEqualTo(EventOutcome.STALE_DROPPED);
    assertThat(state.onAgentStatus(new AgentStatus("other", 1, true, NOW)).outcome())
        .isEqualTo(EventOutcome.UNKNOWN_WORKSPACE);
  }

  @Test
  void anAgentReportObservedBeforeTheLastOneAppliedForTheSameBuildIsStale() {
    PresetState ready =
        state(1)
            .running("w", NOW, false)
            .build()
            .onAgentStatus(new AgentStatus("w", 1, true, NOW.plusSeconds(10)))
            .state();
    Applied<EventOutcome> late =
        ready.onAgentStatus(new AgentStatus("w", 1, false, NOW.plusSeconds(5)));
    assertThat(late.outcome()).isEqualTo(EventOutcome.STALE_DROPPED);
    assertThat(late.state()).isSameAs(ready);
    Applied<EventOutcome> newer =
        ready.onAgentStatus(new AgentStatus("w", 1, false, NOW.plusSeconds(20)));
    assertThat(newer.outcome()).isEqualTo(EventOutcome.APPLIED);
    assertThat(newer.state().prebuild("w").agentsReady()).isFalse();
  }

  @Test
  void agentsThatReportBeforeTheirBuildIsMarkedCompleteAreStillApplied() {
    PresetState built = createdAt(NOW.plusSeconds(90));
    Applied<EventOutcome> ready =
        built.onAgentStatus(new AgentStatus("new-0", 1, true, NOW.plusSeconds(80)));
    assertThat(ready.outcome()).isEqualTo(EventOutcome.APPLIED);
    assertThat(ready.state().prebuild("new-0").agentsReady()).isTrue();
  }

  @Test
  void anEarlierAgentReportDoesNotMakeAnInventoryForgetANewerBuild() {
    PresetState state =
        createdAt(NOW.plusSeconds(90))
            .onAgentStatus(new AgentStatus("new-0", 1, true, NOW.plusSeconds(80)))
            .state();
    assertThat(state.prebuild("new-0").updatedAt()).isEqualTo(NOW.plusSeconds(90));

    Applied<InventoryDiff> diff = state.onInventory(new Inventory(NOW.plusSeconds(85), List.of()));

    assertThat(diff.outcome().forgotten()).isZero();
    assertThat(diff.state().prebuild("new-0")).isNotNull();
  }

  @Test
  void aNewBuildForgetsWhenTheLastBuildsAgentsReported() {
    PresetState restarted =
        state(1)
            .running("w", NOW, false)
            .build()
            .onAgentStatus(new AgentStatus("w", 1, true, NOW.plusSeconds(60)))
            .state()
            .onBuildCompleted(
                build(
                    "w",
                    2,
                    null,
                    BuildTransition.START,
                    BuildStatus.SUCCEEDED,
                    NOW.plusSeconds(30)))
            .state();
    Applied<EventOutcome> ready =
        restarted.onAgentStatus(new AgentStatus("w", 2, true, NOW.plusSeconds(40)));
    assertThat(ready.outcome()).isEqualTo(EventOutcome.APPLIED);
    assertThat(ready.state().prebuild("w").agentsReady()).isTrue();
  }

  @Test
  void readinessReportedBeforeTheCreateBuildFinishesIsNotLost() {
    PresetState state = creatingOne().onAgentStatus(new AgentStatus("new-0", 1, true, NOW)).state();
    assertThat(Reconciler.decide(state, TRIGGER, NOW, CONFIG).diagnostics().starting())
        .isEqualTo(1);
    PresetState built =
        state
            .onBuildCompleted(
                build("new-0", 1, "create-0", BuildTransition.START, BuildStatus.SUCCEEDED, NOW))
            .state();
    assertThat(built.prebuild("new-0").agentsReady()).isTrue();
    assertThat(Reconciler.decide(built, TRIGGER, NOW, CONFIG).diagnostics().eligible())
        .isEqualTo(1);
  }

  @Test
  void aCreateTheWorkerCouldNotCarryOutCountsAsAFailedAttempt() {
    Applied<EventOutcome> applied =
        creatingOne()
            .onCommandResult(
                new CommandResult("create-0", CommandResult.Outcome.FAILED, "membership", NOW));
    assertThat(applied.outcome()).isEqualTo(EventOutcome.APPLIED);
    assertThat(applied.state().commands()).isEmpty();
    assertThat(applied.state().createAttempts())
        .singleElement()
        .extracting(CreateAttempt::result)
        .isEqualTo(CreateAttempt.Result.FAILED);
    assertThat(
            creatingOne()
                .onCommandResult(new CommandResult("nope", CommandResult.Outcome.FAILED, null, NOW))
                .outcome())
        .isEqualTo(EventOutcome.UNKNOWN_COMMAND);
  }

  @Test
  void aDeleteRefusedBecauseTheWorkspaceIsNoLongerOursDropsIt() {
    PresetState state = state(1).running("w", NOW, true).deleting("w", NOW).build();
    PresetState after =
        state
            .onCommandResult(
                new CommandResult("delete-w", CommandResult.Outcome.NOT_OWNED, "claimed", NOW))
            .state();
    assertThat(after.prebuilds()).isEmpty();
    assertThat(after.commands()).isEmpty();
  }

  @Test
  void anInventoryAdoptsUpdatesAndForgets() {
    PresetState state =
        state(2)
            .running("known", NOW.minusSeconds(600), false)
            .running("phantom", NOW.minusSeconds(600), true)
            .running("recent", NOW.plusSeconds(10), true)
            .deleting("phantom", NOW.minusSeconds(5))
            .build();
    Inventory inventory =
        new Inventory(
            NOW,
            List.of(
                new Inventory.Workspace(
                    "known",
                    "k",
                    2,
                    BuildTransition.STOP,
                    BuildStatus.SUCCEEDED,
                    "version-1",
                    false,
                    NOW.minusSeconds(600)),
                new Inventory.Workspace(
                    "stray",
                    "s",
                    1,
                    BuildTransition.START,
                    BuildStatus.SUCCEEDED,
                    "version-1",
                    true,
                    NOW.minusSeconds(60)),
                new Inventory.Workspace(
                    "gone",
                    "g",
                    2,
                    BuildTransition.DELETE,
                    BuildStatus.SUCCEEDED,
                    "version-1",
                    false,
                    NOW.minusSeconds(60))));
    Applied<InventoryDiff> applied = state.onInventory(inventory);
    assertThat(applied.outcome()).isEqualTo(new InventoryDiff(1, 1, 1));
    PresetState after = applied.state();
    assertThat(after.prebuilds())
        .extracting(Prebuild::workspaceId)
        .containsExactly("known", "recent", "stray");
    assertThat(after.prebuild("known").transition()).isEqualTo(BuildTransition.STOP);
    assertThat(after.commands()).isEmpty();
    Applied<InventoryDiff> again = after.onInventory(inventory);
    assertThat(again.outcome().unchanged()).isTrue();
    assertThat(again.state()).isSameAs(after);
  }

  @Test
  void applyingADecisionRecordsCommandsAndPrunesOldAttempts() {
    PresetState state =
        state(3)
            .running("old", NOW.minusSeconds(60), true)
            .attempt(NOW.minus(Duration.ofHours(5)), CreateAttempt.Result.SUCCEEDED)
            .attempt(NOW.minus(Duration.ofHours(4)), CreateAttempt.Result.SUCCEEDED)
            .attempt(NOW.minus(Duration.ofHours(3)), CreateAttempt.Result.SUCCEEDED)
            .attempt(NOW.minus(Duration.ofHours(2)), CreateAttempt.Result.SUCCEEDED)
            .attempt(NOW.minusSeconds(60), CreateAttempt.Result.SUCCEEDED)
            .build();
    Decision decision = Reconciler.decide(state, TRIGGER, NOW, CONFIG);
    PresetState after = state.onDecision(decision, CONFIG);
    assertThat(after.commands())
        .extracting(InFlightCommand::kind)
        .containsExactly(CommandKind.CREATE, CommandKind.CREATE);
    assertThat(after.commands()).allSatisfy(c -> assertThat(c.issuedAt()).isEqualTo(NOW));
    // Kept: the latest failureHardLimit (3) attempts, and those inside the 1 h lookback.
    assertThat(after.createAttempts())
        .extracting(CreateAttempt::completedAt)
        .containsExactly(
            NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(2)), NOW.minusSeconds(60));
    assertThatThrownBy(() -> state(1).build().withDefinition(preset().id("other").build()))
        .hasMessage("definition of preset other given to preset preset-1");
    Decision foreign =
        Reconciler.decide(state(preset().id("other").build()).build(), TRIGGER, NOW, CONFIG);
    assertThatThrownBy(() -> state.onDecision(foreign, CONFIG))
        .hasMessage("decision of preset other applied to preset preset-1");
  }

  @Test
  void anInactivePresetIsDrainedOnceItsLastWorkspaceIsGone() {
    PresetState draining =
        state(preset().deleted().build()).running("w", NOW, true).deleting("w", NOW).build();
    assertThat(draining.isDrained()).isFalse();
    PresetState drained =
        draining
            .onBuildCompleted(
                build("w", 2, "delete-w", BuildTransition.DELETE, BuildStatus.SUCCEEDED, NOW))
            .state();
    assertThat(drained.isDrained()).isTrue();
    assertThat(state(1).build().isDrained()).isFalse();
    assertThat(state(preset().inactive().build()).creating(1, NOW).build().isDrained()).isFalse();
  }

  @Test
  void countersNeverGoDown() {
    PresetState state =
        creatingOne()
            .onBuildCompleted(
                build("new-0", 1, "create-0", BuildTransition.START, BuildStatus.SUCCEEDED, NOW))
            .state()
            .onResourceReplacements();
    PresetState reset =
        state
            .reset()
            .withPaused(true)
            .invalidate(NOW)
            .withDefinition(preset().version("v9").build());
    assertThat(reset.counters()).isEqualTo(new PresetCounters(1, 0, 0, 1, 0));
    assertThat(reset.paused()).isTrue();
  }

  @Test
  void buildEventsAreCheckedOnConstruction() {
    assertThatThrownBy(() -> build("w", 1, null, BuildTransition.START, BuildStatus.RUNNING, NOW))
        .hasMessage("build 1 of workspace w: status RUNNING is not final");
    assertThatThrownBy(() -> build("w", 0, null, BuildTransition.START, BuildStatus.FAILED, NOW))
        .hasMessage("workspace w: buildNumber must be >= 1, got 0");
    assertThatThrownBy(() -> preset().desired(-1).build())
        .hasMessage("preset preset-1: desiredInstances must be >= 0, got -1");
  }
}
