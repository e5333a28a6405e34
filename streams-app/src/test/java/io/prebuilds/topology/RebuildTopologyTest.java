package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.ClaimResult;
import io.prebuilds.schemas.event.Claimed;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.DeleteReason;
import io.prebuilds.schemas.event.FailureKind;
import io.prebuilds.schemas.event.PresetSnapshot;
import io.prebuilds.schemas.event.PresetStatus;
import io.prebuilds.schemas.event.Transition;

/**
 * A rebuild on the test driver: the input below the captured end offsets (the driver numbers each
 * topic's records from 0) only rebuilds state, ticks wait for the catch-up, then each rebuilt
 * preset is reconciled once, sending only what the pool still needs.
 */
class RebuildTopologyTest {

  private static final TopicPartition TEMPLATES = partition(Topics.TEMPLATES.name());
  private static final TopicPartition BUILDS = partition(Topics.BUILDS.name());
  private static final TopicPartition CLAIMS = partition(Topics.CLAIMS.name());

  private final RebuildGate gate = RebuildGate.until(Map.of(TEMPLATES, 1L, BUILDS, 8L, CLAIMS, 1L));
  private final TopologyHarness harness =
      new TopologyHarness(TopologySettings.defaults(1), TopologyMetrics.NONE, gate);

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void historyRebuildsStateSilentlyAndTheCatchUpReconcilesWhatIsStillNeeded() {
    writeHistory();

    assertThat(harness.commands()).isEmpty();
    assertThat(harness.claimResults()).isEmpty();
    assertThat(harness.notifications()).isEmpty();
    assertThat(harness.presetStates()).isEmpty();

    harness.advance(Duration.ofMinutes(5));
    assertThat(harness.commands()).as("ticks wait for the catch-up").isEmpty();

    caughtUp();
    harness.advance(Duration.ofSeconds(1));

    List<Command> commands = harness.commands();
    assertThat(harness.commands(commands, CreatePrebuild.class))
        .as("one running prebuild left of two desired (the other was claimed)")
        .singleElement()
        .satisfies(create -> assertThat(create.presetId()).isEqualTo("p-ok"));
    assertThat(harness.commands(commands, DeletePrebuild.class))
        .as("two failed prebuilds nobody deleted yet; the newest is kept")
        .hasSize(2)
        .extracting(DeletePrebuild::reason)
        .containsOnly(DeleteReason.FAILED);
    assertThat(commands).hasSize(3);
    assertThat(harness.notifications()).as("the hard limit was notified long ago").isEmpty();
    assertThat(harness.claimResults()).isEmpty();
    List<PresetSnapshot> states = harness.presetStates();
    assertThat(states)
        .as("each rebuilt preset is published once, after the catch-up")
        .extracting(PresetSnapshot::presetId)
        .containsExactlyInAnyOrder("p-ok", "p-bad");
    PresetSnapshot ok = state(states, "p-ok");
    assertThat(ok.running()).isEqualTo(1);
    assertThat(ok.starting()).isEqualTo(1);
    assertThat(ok.counters().claimedTotal()).isEqualTo(1);
    assertThat(state(states, "p-bad").status()).isEqualTo(PresetStatus.HARD_LIMITED);
  }

  @Test
  void aDuplicateOfAHistoricClaimGetsTheFirstAnswer() {
    var claim = writeHistory();
    caughtUp();
    harness.advance(Duration.ofSeconds(1));
    harness.commands();

    harness.pipeClaimAgain(claim, "claim-1-retry");

    Claimed again = (Claimed) harness.claimResults().get(0);
    assertThat(again.claimId()).isEqualTo("claim-1");
    assertThat(again.workspaceId()).isEqualTo("ws-a");
    assertThat(harness.commands()).isEmpty();
  }

  @Test
  void liveInputDuringTheRebuildIsAnsweredAtOnce() {
    writeHistory();

    harness.claim("p-ok", "claim-2", "bob", Duration.ofSeconds(10));

    List<ClaimResult> results = harness.claimResults();
    assertThat(results).singleElement().isInstanceOf(Claimed.class);
    assertThat(((Claimed) results.get(0)).workspaceId()).isEqualTo("ws-b");
  }

  /**
   * A pool of two whose prebuild ws-a was claimed (its claim build succeeded) and ws-b is ready;
   * p-bad hit its hard limit. Eight build events, one claim, one template: exactly the history.
   */
  private io.prebuilds.schemas.Envelope<io.prebuilds.schemas.event.ClaimRequested> writeHistory() {
    harness.template(template("v1", List.of(version("v1", preset("p-ok", 2), preset("p-bad", 3)))));
    harness.build(harness.startSucceeded("p-ok", "ws-a", 1, null, "v1"));
    harness.agentsReady("p-ok", "ws-a", 1);
    var claim = harness.claim("p-ok", "claim-1", "alice", Duration.ofSeconds(10));
    harness.build(harness.startSucceeded("p-ok", "ws-a", 2, null, "v1"));
    harness.build(harness.startSucceeded("p-ok", "ws-b", 1, null, "v1"));
    harness.agentsReady("p-ok", "ws-b", 1);
    for (String workspace : List.of("ws-x", "ws-y", "ws-z")) {
      harness.build(
          harness.build(
              "p-bad",
              workspace,
              1,
              null,
              "v1",
              Transition.START,
              BuildStatus.FAILED,
              FailureKind.TRANSIENT));
    }
    return claim;
  }

  /** What the runtime's poller reports once the committed offsets reached the end offsets. */
  private void caughtUp() {
    Map<TopicPartition, Long> committed = Map.of(TEMPLATES, 1L, BUILDS, 8L, CLAIMS, 1L);
    Set<TaskMetadata> tasks = new java.util.HashSet<>();
    for (int subtopology = 0; subtopology < 4; subtopology++) {
      tasks.add(StreamsMetadata.task(new TaskId(subtopology, 0), committed.keySet(), committed));
    }
    assertThat(gate.observe(List.of(StreamsMetadata.thread(tasks)))).isZero();
  }

  private static PresetSnapshot state(List<PresetSnapshot> states, String presetId) {
    return states.stream().filter(s -> s.presetId().equals(presetId)).findFirst().orElseThrow();
  }

  private static TopicPartition partition(String topic) {
    return new TopicPartition(topic, 0);
  }
}
