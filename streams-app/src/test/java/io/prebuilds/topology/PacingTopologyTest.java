package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.prebuilds.schemas.event.NoPrebuildAvailable;
import io.prebuilds.schemas.event.NoPrebuildReason;
import io.prebuilds.schemas.event.TemplateSnapshot;

/**
 * A template change of many presets is decided a tick's share at a time (200 a second, 20 at once
 * by default), while claims are still answered at once: see {@link DecisionPacer}.
 */
class PacingTopologyTest {
  private static final Duration TICK = TopologySettings.defaults(1).tick();

  private final Set<String> decided = new TreeSet<>();
  private TopologyHarness harness;

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void aLargeTemplateChangeIsDecidedATicksShareAtATime() {
    harness = new TopologyHarness();

    harness.template(templateOf(50));
    assertThat(decided()).hasSize(20);
    assertThat(harness.stored("p-49").defined())
        .as("a deferred preset already holds its definition")
        .isTrue();
    assertThat(harness.stored("p-49").dueAt()).isEqualTo(harness.now());

    harness.advance(TICK);
    assertThat(decided()).hasSize(40);
    harness.advance(TICK);
    assertThat(decided()).hasSize(50);
  }

  @Test
  void aClaimOnADeferredPresetIsAnsweredAtOnceWithItsNewDefinition() {
    harness = new TopologyHarness();
    harness.template(templateOf(30));
    assertThat(decided()).doesNotContain("p-29");

    harness.claim("p-29", "claim-1", "alice", Duration.ofSeconds(10));

    assertThat(harness.claimResults())
        .singleElement()
        .isInstanceOfSatisfying(
            NoPrebuildAvailable.class,
            answer -> assertThat(answer.reason()).isEqualTo(NoPrebuildReason.NONE_ELIGIBLE));
  }

  @Test
  void ticksReportTheDecisionsStillWaitingAsAnEarliestDueTimeInThePast() {
    Map<String, Instant> earliestDue = new HashMap<>();
    TopologyMetrics metrics =
        new TopologyMetrics() {
          @Override
          public void earliestDue(String task, Instant earliestDueAt) {
            earliestDue.put(task, earliestDueAt);
          }
        };
    harness = new TopologyHarness(TopologySettings.defaults(1), metrics);
    harness.template(templateOf(50));
    Instant deferredAt = harness.now();

    harness.advance(TICK);
    assertThat(decided()).hasSize(40);
    assertThat(earliestDue.values())
        .as("ten presets still wait for a decision due at the snapshot")
        .containsExactly(deferredAt);

    harness.advance(TICK);
    assertThat(decided()).hasSize(50);
    assertThat(earliestDue.values())
        .singleElement()
        .satisfies(due -> assertThat(due).isAfter(harness.now()));
  }

  @Test
  void unpacedDecidesEveryPresetAtOnce() {
    harness =
        new TopologyHarness(
            TopologySettings.defaults(1).withDecisionsPerSecond(DecisionPacer.UNPACED));

    harness.template(templateOf(50));

    assertThat(decided()).hasSize(50);
  }

  /** Presets with a published state so far: each was decided at least once. */
  private Set<String> decided() {
    harness.presetStates().forEach(state -> decided.add(state.presetId()));
    return decided;
  }

  private static TemplateSnapshot templateOf(int presets) {
    return template(
        "v1",
        List.of(
            version(
                "v1",
                IntStream.range(0, presets)
                    .mapToObj(i -> preset("p-" + i, 1))
                    .toArray(TemplateSnapshot.Preset[]::new))));
  }
}
