package io.prebuilds.reconcile;

import static io.prebuilds.reconcile.Fixtures.CONFIG;
import static io.prebuilds.reconcile.Fixtures.NOW;
import static io.prebuilds.reconcile.Fixtures.TRIGGER;
import static io.prebuilds.reconcile.Fixtures.preset;
import static io.prebuilds.reconcile.Fixtures.state;
import static io.prebuilds.reconcile.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The behaviour issue 4 asks for beyond Coder's cases, each a test. */
class ReconcilerTest {

  private static Decision decide(PresetState state) {
    return Reconciler.decide(state, TRIGGER, NOW, CONFIG);
  }

  private static Decision decide(PresetState state, Instant now) {
    return Reconciler.decide(state, TRIGGER, now, CONFIG);
  }

  @Test
  void deletesContinueDuringBackoff() {
    PresetState state =
        state(preset().desired(2).ttl(Duration.ofHours(1)).build())
            .running("stale", NOW.minus(Duration.ofHours(2)), true)
            .attempt(NOW.minusSeconds(5), CreateAttempt.Result.FAILED)
            .build();
    assertThat(summary(decide(state)))
        .containsExactly("backoff " + NOW.plusSeconds(10), "delete expired [stale]");
  }

  @Test
  void expiredPrebuildsOfAnInactiveVersionAreDeleted() {
    PresetState state =
        state(preset().inactive().ttl(Duration.ofMinutes(5)).build())
            .running("fresh", NOW, true)
            .running("expired", NOW.minus(Duration.ofHours(1)), true)
            .build();
    Decision decision = decide(state);
    assertThat(summary(decision)).containsExactly("delete outdated [expired, fresh]");
    assertThat(decision.diagnostics().expired()).isEqualTo(1);
  }

  @Test
  void everyPrebuildOfADeletedTemplateIsDeletedWithThatReason() {
    PresetState state =
        state(preset().deleted().build())
            .running("up", NOW, true)
            .prebuild("broken", NOW.minusSeconds(60), BuildTransition.START, BuildStatus.FAILED)
            .prebuild("stopped", NOW.minusSeconds(30), BuildTransition.STOP, BuildStatus.SUCCEEDED)
            .build();
    assertThat(summary(decide(state)))
        .containsExactly("delete template-deleted [broken, stopped, up]");
  }

  @Test
  void aPrebuildWithADeleteInFlightIsDeletingNotRunning() {
    PresetState state =
        state(1)
            .running("old", NOW.minusSeconds(60), true)
            .running("new", NOW, true)
            .deleting("old", NOW.minusSeconds(10))
            .build();
    Decision decision = decide(state);
    assertThat(decision.actions()).isEmpty();
    assertThat(decision.diagnostics().actual()).isEqualTo(1);
    assertThat(decision.diagnostics().deleting()).isEqualTo(1);
    assertThat(decision.diagnostics().extraneous()).isZero();
  }

  @Test
  void anEventDrivenLoopNeverDeletesTwiceForOneSurplus() {
    PresetState state =
        state(1).running("old", NOW.minusSeconds(60), true).running("new", NOW, true).build();
    Decision first = decide(state);
    assertThat(summary(first)).containsExactly("delete extraneous [old]");
    PresetState after = state.onDecision(first, CONFIG);
    Decision second =
        Reconciler.decide(after, Trigger.event("/test", "event-2"), NOW.plusSeconds(1), CONFIG);
    assertThat(second.actions()).isEmpty();
  }

  @Test
  void stoppedFailedAndCanceledPrebuildsAreNotRunningAndAreCleanedUp() {
    PresetState state =
        state(2)
            .prebuild("stopped", NOW.minusSeconds(50), BuildTransition.STOP, BuildStatus.SUCCEEDED)
            .prebuild("canceled", NOW.minusSeconds(40), BuildTransition.START, BuildStatus.CANCELED)
            .prebuild("failed-1", NOW.minusSeconds(30), BuildTransition.START, BuildStatus.FAILED)
            .prebuild("failed-2", NOW.minusSeconds(20), BuildTransition.START, BuildStatus.FAILED)
            .prebuild("failed-3", NOW.minusSeconds(10), BuildTransition.STOP, BuildStatus.FAILED)
            .build();
    Decision decision = decide(state);
    assertThat(decision.diagnostics().actual()).isZero();
    assertThat(summary(decision))
        .containsExactly(
            "delete stopped [stopped]",
            "delete canceled [canceled]",
            "delete failed [failed-1, failed-2]",
            "create 2");
  }

  @Test
  void failedRetentionKeepsTheNewestFailedPrebuilds() {
    PresetState state =
        state(0)
            .prebuild("a", NOW.minusSeconds(30), BuildTransition.START, BuildStatus.FAILED)
            .prebuild("b", NOW.minusSeconds(20), BuildTransition.START, BuildStatus.FAILED)
            .prebuild("c", NOW.minusSeconds(10), BuildTransition.START, BuildStatus.FAILED)
            .build();
    assertThat(summary(Reconciler.decide(state, TRIGGER, NOW, CONFIG.withFailedRetention(0))))
        .containsExactly("delete failed [a, b, c]");
    assertThat(summary(Reconciler.decide(state, TRIGGER, NOW, CONFIG.withFailedRetention(2))))
        .containsExactly("delete failed [a]");
  }

  @Test
  void aValidationFailureStopsCreatesAndNotifiesOnce() {
    PresetState state =
        state(2).attempt(NOW.minusSeconds(3600), CreateAttempt.Result.VALIDATION_FAILED).build();
    Decision decision = decide(state);
    assertThat(summary(decision))
        .containsExactly("status validation_failed", "notify validation_failed");
    Action.Notify notify = decision.actionsOf(Action.Notify.class).get(0);
    assertThat(notify.recipients()).containsExactly(new TemplateAdmin("admin-1", "alice"));
    assertThat(decision.diagnostics().status()).isEqualTo(PresetStatus.VALIDATION_FAILED);

    PresetState after = state.onDecision(decision, CONFIG);
    assertThat(after.status()).isEqualTo(PresetStatus.VALIDATION_FAILED);
    assertThat(decide(after).actions()).isEmpty();
    assertThat(decide(after).diagnostics().explanation())
        .contains(
            "not creating 2: creates stopped (validation_failed): desired 2 (default), running 0,"
                + " starting 0");
  }

  @Test
  void theLastNFailedCreatesReachTheHardLimit() {
    PresetState twoFailures =
        state(1)
            .attempt(NOW.minusSeconds(3000), CreateAttempt.Result.FAILED)
            .attempt(NOW.minusSeconds(2000), CreateAttempt.Result.FAILED)
            .build();
    assertThat(decide(twoFailures).diagnostics().status()).isEqualTo(PresetStatus.NORMAL);
    PresetState threeFailures =
        state(1)
            .attempt(NOW.minusSeconds(3000), CreateAttempt.Result.FAILED)
            .attempt(NOW.minusSeconds(2000), CreateAttempt.Result.FAILED)
            .attempt(NOW.minusSeconds(1000), CreateAttempt.Result.FAILED)
            .build();
    assertThat(summary(decide(threeFailures)))
        .containsExactly("status hard_limited", "notify hard_limited");
    PresetState successLast =
        state(1)
            .attempt(NOW.minusSeconds(3000), CreateAttempt.Result.FAILED)
            .attempt(NOW.minusSeconds(2000), CreateAttempt.Result.FAILED)
            .attempt(NOW.minusSeconds(1500), CreateAttempt.Result.FAILED)
            .attempt(NOW.minusSeconds(1000), CreateAttempt.Result.SUCCEEDED)
            .build();
    assertThat(decide(successLast).diagnostics().status()).isEqualTo(PresetStatus.NORMAL);
  }

  @Test
  void aHardLimitOfZeroDisablesIt() {
    PresetState state =
        state(1)
            .attempt(NOW.minusSeconds(3000), CreateAttempt.Result.FAILED)
            .attempt(NOW.minusSeconds(2000), CreateAttempt.Result.FAILED)
            .attempt(NOW.minusSeconds(1000), CreateAttempt.Result.FAILED)
            .build();
    Decision decision = Reconciler.decide(state, TRIGGER, NOW, CONFIG.withFailureHardLimit(0));
    assertThat(decision.diagnostics().status()).isEqualTo(PresetStatus.NORMAL);
    assertThat(summary(decision)).containsExactly("create 1");
  }

  @Test
  void hardLimitedPresetsStillDelete() {
    PresetState state =
        state(1)
            .running("old", NOW.minusSeconds(60), true)
            .running("new", NOW, true)
            .status(PresetStatus.HARD_LIMITED, true)
            .build();
    assertThat(summary(decide(state))).containsExactly("delete extraneous [old]");
  }

  @Test
  void resetClearsTheStatusAndTheFailuresAndTheNextEpisodeNotifiesAgain() {
    PresetState limited =
        state(1)
            .attempt(NOW.minusSeconds(30), CreateAttempt.Result.FAILED)
            .attempt(NOW.minusSeconds(20), CreateAttempt.Result.FAILED)
            .attempt(NOW.minusSeconds(10), CreateAttempt.Result.FAILED)
            .build();
    limited = limited.onDecision(decide(limited), CONFIG);
    assertThat(limited.status()).isEqualTo(PresetStatus.HARD_LIMITED);
    assertThat(limited.failureNotified()).isTrue();

    PresetState reset = limited.reset();
    Decision afterReset = decide(reset);
    assertThat(summary(afterReset)).containsExactly("create 1");
    assertThat(afterReset.diagnostics().backoffUntil()).isNull();

    PresetState again =
        state(1)
            .attempt(NOW.minusSeconds(3), CreateAttempt.Result.FAILED)
            .attempt(NOW.minusSeconds(2), CreateAttempt.Result.FAILED)
            .attempt(NOW.minusSeconds(1), CreateAttempt.Result.FAILED)
            .build();
    assertThat(summary(decide(again))).contains("notify hard_limited");
  }

  @Test
  void aNewTemplateVersionStartsNormal() {
    PresetState limited = state(1).status(PresetStatus.HARD_LIMITED, true).build();
    PresetState sameVersion = limited.withDefinition(preset().desired(3).build());
    assertThat(sameVersion.status()).isEqualTo(PresetStatus.HARD_LIMITED);
    PresetState newVersion = limited.withDefinition(preset().version("version-2").build());
    assertThat(newVersion.status()).isEqualTo(PresetStatus.NORMAL);
    assertThat(newVersion.failureNotified()).isFalse();
  }

  @Test
  void pausedPresetsCreateDeleteAndCancelNothing() {
    PresetState active =
        state(preset().desired(3).ttl(Duration.ofMinutes(1)).build())
            .running("expired", NOW.minusSeconds(3600), true)
            .paused()
            .build();
    Decision decision = decide(active);
    assertThat(decision.actions()).isEmpty();
    assertThat(decision.diagnostics().explanation())
        .contains("reconciliation is paused: 4 create/delete/cancel action(s) held");
    PresetState inactive =
        state(preset().inactive().build())
            .running("w", NOW, true)
            .creating(1, NOW)
            .paused()
            .build();
    assertThat(decide(inactive).actions()).isEmpty();
  }

  @Test
  void aTimedOutCreateNoLongerBlocksCreatesAndIsNotAFailure() {
    PresetState state = state(1).creating(1, NOW.minus(Duration.ofMinutes(30))).build();
    Decision decision = decide(state);
    assertThat(decision.diagnostics().timedOut()).isEqualTo(1);
    assertThat(decision.diagnostics().starting()).isZero();
    assertThat(summary(decision)).containsExactly("create 1");
    PresetState after = state.onDecision(decision, CONFIG);
    assertThat(after.counters().timedOutTotal()).isEqualTo(1);
    assertThat(after.createAttempts()).isEmpty();
    assertThat(after.commands()).hasSize(1);
    assertThat(after.commands().get(0).commandId())
        .isEqualTo(decision.actionsOf(Action.CreatePrebuild.class).get(0).commandId());
  }

  @Test
  void aCreateNotYetTimedOutStillCountsAsStarting() {
    PresetState state =
        state(1).creating(1, NOW.minus(Duration.ofMinutes(30)).plusNanos(1)).build();
    Decision decision = decide(state);
    assertThat(decision.diagnostics().starting()).isEqualTo(1);
    assertThat(decision.actions()).isEmpty();
    assertThat(decision.nextDueAt()).isEqualTo(NOW.plusNanos(1));
  }

  @Test
  void aTimedOutDeleteIsIssuedAgain() {
    PresetState state =
        state(1)
            .running("old", NOW.minusSeconds(3600), true)
            .running("new", NOW, true)
            .deleting("old", NOW.minus(Duration.ofHours(1)))
            .build();
    Decision decision = decide(state);
    assertThat(decision.diagnostics().timedOut()).isEqualTo(1);
    assertThat(summary(decision)).containsExactly("delete extraneous [old]");
    PresetState after = state.onDecision(decision, CONFIG);
    assertThat(after.commands())
        .singleElement()
        .satisfies(c -> assertThat(c.issuedAt()).isEqualTo(NOW));
  }

  @Test
  void aLateAnswerToATimedOutCreateIsReconciledNormally() {
    PresetState state = state(1).creating(1, NOW.minus(Duration.ofHours(1))).build();
    Decision retry = decide(state);
    PresetState after = state.onDecision(retry, CONFIG);
    // The first create finally finishes: its workspace is adopted, and the pool has one too many.
    Applied<EventOutcome> late =
        after.onBuildCompleted(
            new BuildCompleted(
                "new-0",
                "late",
                1,
                "create-0",
                null,
                "version-1",
                BuildTransition.START,
                BuildStatus.SUCCEEDED,
                null,
                true,
                NOW.plusSeconds(5)));
    assertThat(late.outcome()).isEqualTo(EventOutcome.ADOPTED);
    String retried = retry.actionsOf(Action.CreatePrebuild.class).get(0).workspaceId();
    PresetState done =
        late.state()
            .onBuildCompleted(
                new BuildCompleted(
                    retried,
                    "retried",
                    1,
                    null,
                    null,
                    "version-1",
                    BuildTransition.START,
                    BuildStatus.SUCCEEDED,
                    null,
                    true,
                    NOW.plusSeconds(6)))
            .state();
    // The retried create was issued at NOW, before the late one was heard of: it is the oldest.
    Decision settle = decide(done, NOW.plusSeconds(7));
    assertThat(summary(settle)).containsExactly("delete extraneous [" + retried + "]");
  }

  @Test
  void aClaimedWorkspaceIsNeverDeleted() {
    PresetState state =
        state(preset().deleted().build()).claimed("mine", NOW.minusSeconds(60)).build();
    Decision decision = decide(state);
    assertThat(decision.actions()).isEmpty();
    assertThat(decision.diagnostics().actual()).isZero();
  }

  @Test
  void inactivePresetsCancelUnansweredCreatesByCommandId() {
    PresetState state = state(preset().inactive().build()).creating(2, NOW).build();
    Decision decision = decide(state);
    Action.CancelPending cancel = decision.actionsOf(Action.CancelPending.class).get(0);
    assertThat(cancel.createCommandIds()).containsExactly("create-0", "create-1");
    assertThat(state.onDecision(decision, CONFIG).commands()).isEmpty();
  }

  @Test
  void theExplanationSaysWhyInPlainWords() {
    PresetDefinition def =
        preset().desired(1).timezone("Europe/Berlin").schedule("* 9-18 * * 1-5", 3).build();
    Instant tenInBerlin =
        LocalDateTime.parse("2025-06-02T10:00").atZone(ZoneId.of("Europe/Berlin")).toInstant();
    Decision decision =
        Reconciler.decide(
            state(def).running("w", tenInBerlin, true).build(), TRIGGER, tenInBerlin, CONFIG);
    assertThat(decision.diagnostics().explanation())
        .containsExactly(
            "desired 3 (schedule `* 9-18 * * 1-5` Europe/Berlin)",
            "creating 2: desired 3 (schedule `* 9-18 * * 1-5` Europe/Berlin), running 1,"
                + " starting 0");
    assertThat(decision.diagnostics().desiredSource())
        .isEqualTo("schedule `* 9-18 * * 1-5` Europe/Berlin");
  }

  @Test
  void createsCarryDeterministicIdsDerivedFromTheTrigger() {
    PresetState state = state(2).build();
    List<Action.CreatePrebuild> first = decide(state).actionsOf(Action.CreatePrebuild.class);
    List<Action.CreatePrebuild> again = decide(state).actionsOf(Action.CreatePrebuild.class);
    assertThat(again).isEqualTo(first);
    assertThat(first).extracting(Action.CreatePrebuild::commandId).doesNotHaveDuplicates();
    Action.CreatePrebuild create = first.get(0);
    assertThat(create.workspaceId()).isEqualTo(CommandIds.workspaceId(create.commandId()));
    assertThat(create.workspaceName()).isEqualTo(CommandIds.workspaceName(create.commandId()));
    assertThat(create.templateVersionId()).isEqualTo("version-1");
    List<Action.CreatePrebuild> otherTrigger =
        Reconciler.decide(state, Trigger.timer(NOW), NOW, CONFIG)
            .actionsOf(Action.CreatePrebuild.class);
    assertThat(otherTrigger.get(0).commandId()).isNotEqualTo(create.commandId());
  }

  @Test
  void deletesUseTheVersionTheWorkspaceWasBuiltFrom() {
    Prebuild old =
        new Prebuild(
            "w",
            "w",
            3,
            NOW.minusSeconds(60),
            BuildTransition.START,
            BuildStatus.SUCCEEDED,
            "version-0",
            true,
            null,
            NOW.minusSeconds(60),
            NOW.minusSeconds(60));
    PresetState state =
        new PresetState(
            preset().inactive().build(),
            List.of(old),
            List.of(),
            List.of(),
            PresetStatus.NORMAL,
            false,
            false,
            null,
            PresetCounters.ZERO,
            null,
            List.of());
    Action.DeletePrebuild delete = decide(state).actionsOf(Action.DeletePrebuild.class).get(0);
    assertThat(delete.templateVersionId()).isEqualTo("version-0");
    assertThat(delete.deleteReason()).isEqualTo(DeleteReason.OUTDATED);
    assertThat(delete.reason())
        .isEqualTo("deleting w: none: template version version-1 is no longer active");
  }

  @Test
  void anOperatorInvalidationExpiresEverythingCreatedBefore() {
    PresetState state = state(1).running("w", NOW.minusSeconds(60), true).build().invalidate(NOW);
    assertThat(summary(decide(state, NOW.plusSeconds(1))))
        .containsExactly("delete expired [w]", "create 1");
    PresetState templateLater =
        state.withDefinition(preset().lastInvalidatedAt(NOW.minusSeconds(600)).build());
    assertThat(templateLater.effectiveInvalidatedAt()).isEqualTo(NOW);
  }

  @Test
  void nextDueAtIsTheEarliestOfBackoffExpiryScheduleAndTimeout() {
    Duration resync = CONFIG.resyncAfter("preset-1");
    assertThat(decide(state(1).running("w", NOW, true).build()).nextDueAt())
        .isEqualTo(NOW.plus(resync));
    assertThat(
            decide(
                    state(preset().ttl(Duration.ofMinutes(10)).build())
                        .running("w", NOW, true)
                        .build())
                .nextDueAt())
        .isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    assertThat(
            decide(state(1).attempt(NOW.minusSeconds(5), CreateAttempt.Result.FAILED).build())
                .nextDueAt())
        .isEqualTo(NOW.plusSeconds(10));
    assertThat(decide(state(1).creating(1, NOW.minusSeconds(60)).build()).nextDueAt())
        .isEqualTo(NOW.minusSeconds(60).plus(Duration.ofMinutes(30)));
    PresetDefinition scheduled =
        preset().timezone("UTC").schedule("* 13 * * *", 2).desired(1).build();
    assertThat(decide(state(scheduled).running("w", NOW, true).build()).nextDueAt())
        .isEqualTo(Instant.parse("2025-06-02T13:00:00Z"));
  }
}
