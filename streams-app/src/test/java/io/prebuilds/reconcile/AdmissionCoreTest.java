package io.prebuilds.reconcile;

import static io.prebuilds.reconcile.Fixtures.CONFIG;
import static io.prebuilds.reconcile.Fixtures.NOW;
import static io.prebuilds.reconcile.Fixtures.TRIGGER;
import static io.prebuilds.reconcile.Fixtures.state;
import static io.prebuilds.reconcile.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** What the decision core does with commands the admission stage holds or dispatched. */
class AdmissionCoreTest {

  private static Decision decide(PresetState state, Instant now) {
    return Reconciler.decide(state, TRIGGER, now, CONFIG);
  }

  @Test
  void aQueuedCommandNeverTimesOut() {
    PresetState state = state(2).queued(2, NOW.minus(Duration.ofHours(5))).build();

    Decision decision = decide(state, NOW);

    assertThat(summary(decision)).isEmpty();
    assertThat(decision.diagnostics().starting()).isEqualTo(2);
    assertThat(decision.diagnostics().timedOut()).isZero();
  }

  @Test
  void theTimeoutStartsAtDispatch() {
    PresetState queued = state(1).queued(1, NOW.minus(Duration.ofHours(2))).build();
    String commandId = queued.commands().get(0).commandId();
    PresetState dispatched =
        queued.onDispatched(commandId, NOW.minus(Duration.ofMinutes(20))).state();

    assertThat(summary(decide(dispatched, NOW))).as("20 min after dispatch").isEmpty();
    Decision later = decide(dispatched, NOW.plus(Duration.ofMinutes(10)));
    assertThat(later.diagnostics().timedOut()).as("30 min after dispatch").isEqualTo(1);
    assertThat(summary(later)).containsExactly("create 1");
  }

  @Test
  void newCommandsWaitForDispatchWhenAdmissionHoldsThem() {
    PresetState state = state(2).build();
    Decision decision = decide(state, NOW);

    PresetState after = state.onDecision(decision, CONFIG, CommandStart.AT_DISPATCH);

    assertThat(after.commands()).hasSize(2).allMatch(InFlightCommand::queued);
    assertThat(after.commands()).allMatch(c -> c.timesOutAt(CONFIG) == null);
    assertThat(state.onDecision(decision, CONFIG).commands())
        .noneMatch(InFlightCommand::queued)
        .allMatch(c -> c.timesOutAt(CONFIG).equals(NOW.plus(CONFIG.commandTimeout())));
  }

  @Test
  void aWithdrawnCreateIsNotInFlightAndNotAFailure() {
    PresetState state = state(2).running("up", NOW, true).queued(1, NOW).build();
    String commandId = state.commands().get(0).commandId();

    Applied<EventOutcome> withdrawn = state.onWithdrawn(commandId);

    assertThat(withdrawn.outcome()).isEqualTo(EventOutcome.APPLIED);
    assertThat(withdrawn.state().commands()).isEmpty();
    assertThat(withdrawn.state().createAttempts()).isEmpty();
    assertThat(summary(decide(withdrawn.state(), NOW))).containsExactly("create 1");
    assertThat(state.onWithdrawn("unknown").outcome()).isEqualTo(EventOutcome.UNKNOWN_COMMAND);
    assertThat(state.onDispatched("unknown", NOW).outcome())
        .isEqualTo(EventOutcome.UNKNOWN_COMMAND);
  }

  @Test
  void afterDesiredDropsTheNewestQueuedCreatesAreWithdrawn() {
    PresetState state =
        state(1)
            .creating(1, NOW.minusSeconds(30))
            .queued(1, NOW.minusSeconds(20))
            .queued(1, NOW.minusSeconds(10))
            .build();

    Decision decision = decide(state, NOW);

    assertThat(summary(decision)).containsExactly("cancel 2");
    Action.CancelPending cancel = decision.actionsOf(Action.CancelPending.class).get(0);
    assertThat(cancel.createCommandIds())
        .containsExactly(state.commands().get(1).commandId(), state.commands().get(2).commandId());
    assertThat(state.onDecision(decision, CONFIG).commands()).hasSize(1);
  }

  @Test
  void onlyAsManyQueuedCreatesAsTheSurplusAreWithdrawn() {
    PresetState state = state(2).queued(3, NOW.minusSeconds(30)).build();

    Action.CancelPending cancel = decide(state, NOW).actionsOf(Action.CancelPending.class).get(0);

    assertThat(cancel.createCommandIds()).containsExactly(state.commands().get(2).commandId());
  }

  @Test
  void dispatchedCreatesAreNeverWithdrawn() {
    PresetState state = state(0).creating(3, NOW.minusSeconds(30)).build();

    assertThat(summary(decide(state, NOW))).isEmpty();
  }
}
