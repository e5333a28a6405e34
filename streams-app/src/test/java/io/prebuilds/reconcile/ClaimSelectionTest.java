package io.prebuilds.reconcile;

import static io.prebuilds.reconcile.Fixtures.NOW;
import static io.prebuilds.reconcile.Fixtures.preset;
import static io.prebuilds.reconcile.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ClaimSelectionTest {

  private static final ClaimRequest REQUEST =
      new ClaimRequest("claim-1", "user-1", "alice", "my-workspace", NOW.plusSeconds(10));

  @Test
  void theOldestEligiblePrebuildIsClaimedWithTheTemplatesLifecycle() {
    PresetState state =
        state(
                preset()
                    .lifecycle(
                        new LifecycleDefaults("CRON_TZ=UTC 30 8 * * 1-5", Duration.ofHours(8)))
                    .build())
            .running("newer", NOW.minusSeconds(10), true)
            .running("older", NOW.minusSeconds(20), true)
            .build();
    ClaimDecision decision = ClaimSelection.select(state, REQUEST, NOW);
    assertThat(decision)
        .isEqualTo(
            new ClaimDecision.Claimed(
                "claim-1",
                CommandIds.commandId(
                    "preset-1", Trigger.event("claim", "claim-1"), "claim", "older"),
                "older",
                "my-workspace",
                "version-1",
                "user-1",
                "alice",
                NOW,
                new ClaimDecision.ClaimedLifecycle(
                    "CRON_TZ=UTC 30 8 * * 1-5", Duration.ofHours(8), NOW)));
  }

  @Test
  void onlyRunningReadyUnexpiredUnclaimedPrebuildsWithoutADeleteAreClaimed() {
    PresetState state =
        state(preset().ttl(Duration.ofMinutes(30)).build())
            .running("not-ready", NOW.minusSeconds(100), false)
            .running("expired", NOW.minus(Duration.ofHours(1)), true)
            .running("being-deleted", NOW.minusSeconds(90), true)
            .deleting("being-deleted", NOW.minusSeconds(5))
            .claimed("taken", NOW.minusSeconds(80))
            .prebuild("stopped", NOW.minusSeconds(70), BuildTransition.STOP, BuildStatus.SUCCEEDED)
            .prebuild("starting", NOW.minusSeconds(60), BuildTransition.START, BuildStatus.RUNNING)
            .build();
    assertThat(ClaimSelection.select(state, REQUEST, NOW))
        .isEqualTo(
            new ClaimDecision.NotClaimed("claim-1", ClaimDecision.Reason.NONE_ELIGIBLE, NOW));
  }

  @Test
  void aClaimPastItsDeadlineIsNeverHonoured() {
    PresetState state = state(1).running("w", NOW.minusSeconds(10), true).build();
    assertThat(ClaimSelection.select(state, REQUEST, NOW.plusSeconds(10)))
        .isInstanceOf(ClaimDecision.Claimed.class);
    ClaimDecision late = ClaimSelection.select(state, REQUEST, NOW.plusSeconds(10).plusNanos(1));
    assertThat(late).isInstanceOf(ClaimDecision.NotClaimed.class);
    assertThat(((ClaimDecision.NotClaimed) late).reason().wireName()).isEqualTo("deadline-passed");
  }

  @Test
  void inactivePresetsHaveNothingToClaim() {
    PresetState state = state(preset().deprecated().build()).running("w", NOW, true).build();
    assertThat(ClaimSelection.select(state, REQUEST, NOW))
        .isInstanceOf(ClaimDecision.NotClaimed.class);
  }
}
