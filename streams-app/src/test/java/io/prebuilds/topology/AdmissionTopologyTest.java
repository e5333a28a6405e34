package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.prebuilds.schemas.event.CancelPending;
import io.prebuilds.schemas.event.ClaimWorkspace;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.PresetSnapshot;
import io.prebuilds.schemas.event.TemplateSnapshot;

/** The admission stage on the TopologyTestDriver: budget, priorities, withdrawal, order. */
class AdmissionTopologyTest {

  private TopologyHarness harness;

  @AfterEach
  void close() {
    harness.close();
  }

  private void budget(int budget) {
    harness =
        new TopologyHarness(
            TopologySettings.defaults(1).withAdmission(new AdmissionSettings(budget)));
  }

  @Test
  void neverDispatchesMoreThanTheBudgetAndReleasesAsBuildsComplete() {
    budget(3);
    harness.template(template("v1", List.of(version("v1", preset("p1", 10)))));

    List<CreatePrebuild> first = creates();
    assertThat(first).hasSize(3);
    assertThat(harness.lastState("p1").starting()).isEqualTo(10);

    List<String> all = new ArrayList<>(ids(first));
    List<CreatePrebuild> released = first;
    while (!released.isEmpty()) {
      harness.completeCreates(released.subList(0, 1));
      List<CreatePrebuild> next = creates();
      assertThat(next).hasSizeLessThanOrEqualTo(1);
      all.addAll(ids(next));
      released = new ArrayList<>(released.subList(1, released.size()));
      released.addAll(next);
    }

    assertThat(all).hasSize(10).doesNotHaveDuplicates();
    PresetSnapshot state = harness.lastState("p1");
    assertThat(state.running()).isEqualTo(10);
    assertThat(state.starting()).isZero();
  }

  @Test
  void presetsOfOneOrganizationAreServedFirstInFirstOut() {
    budget(1);
    harness.template(template("v1", List.of(version("v1", preset("a", 2), preset("b", 2)))));

    List<String> order = new ArrayList<>();
    List<CreatePrebuild> next = creates();
    while (!next.isEmpty()) {
      assertThat(next).hasSize(1);
      order.add(next.get(0).presetId());
      harness.completeCreates(next);
      next = creates();
    }

    assertThat(List.of(List.of("a", "a", "b", "b"), List.of("b", "b", "a", "a")))
        .as("each preset's creates were issued together, so they are dispatched together")
        .contains(order);
  }

  @Test
  void unlimitedBudgetDispatchesEverythingAtOnce() {
    budget(0);
    harness.template(template("v1", List.of(version("v1", preset("p1", 25)))));

    assertThat(creates()).hasSize(25);
  }

  @Test
  void deletesAreReleasedBeforeCreatesAndCreatesInArrivalOrder() {
    budget(2);
    harness.template(template("v1", List.of(version("v1", preset("a", 2)))));
    List<CreatePrebuild> a = creates();
    harness.completeCreates(a);
    harness.template(template("v1", List.of(version("v1", preset("a", 2), preset("b", 4)))));
    List<CreatePrebuild> b = creates();
    assertThat(b).hasSize(2);
    harness.template(template("v1", List.of(version("v1", preset("a", 0), preset("b", 4)))));
    assertThat(harness.commands()).as("both deletes wait: the budget is full").isEmpty();

    harness.completeCreates(b.subList(0, 1));
    Command freedFirst = single(harness.commands());
    harness.completeCreates(b.subList(1, 2));
    Command freedSecond = single(harness.commands());

    assertThat(freedFirst).isInstanceOf(DeletePrebuild.class);
    assertThat(freedSecond).isInstanceOf(DeletePrebuild.class);
    assertThat(
            List.of(
                ((DeletePrebuild) freedFirst).workspaceId(),
                ((DeletePrebuild) freedSecond).workspaceId()))
        .containsExactlyInAnyOrderElementsOf(ids(a).stream().map(this::workspaceOf).toList());
  }

  @Test
  void cancelWithdrawsQueuedCreatesAndGoesOutOnlyForDispatchedOnes() {
    budget(2);
    harness.template(template("v1", List.of(version("v1", preset("old", 4)))));
    List<CreatePrebuild> dispatched = creates();
    assertThat(dispatched).hasSize(2);

    harness.template(
        template("v2", List.of(version("v1", preset("old", 4)), version("v2", preset("new", 1)))));

    List<Command> commands = harness.commands();
    CancelPending cancel = single(harness.commands(commands, CancelPending.class));
    assertThat(cancel.commandIds()).hasSize(4).containsAll(ids(dispatched));
    List<String> sentCreates = ids(harness.commands(commands, CreatePrebuild.class));
    assertThat(sentCreates).as("the queued creates of the old version are never sent").hasSize(1);
    assertThat(commands.indexOf(cancel))
        .as("the cancel follows the creates it cancels")
        .isGreaterThanOrEqualTo(0);
    assertThat(harness.lastState("new").starting()).isEqualTo(1);
  }

  @Test
  void cancelOfOnlyQueuedCreatesIsNeverSent() {
    budget(1);
    harness.template(template("v1", List.of(version("v1", preset("busy", 1)))));
    assertThat(creates()).hasSize(1);
    harness.template(other("tpl-b", TopologyHarness.ORG, "b1", version("b1", preset("old", 3))));
    assertThat(harness.commands()).as("the budget is full: all three queued").isEmpty();

    harness.template(
        other(
            "tpl-b",
            TopologyHarness.ORG,
            "b2",
            version("b1", preset("old", 3)),
            version("b2", preset("next", 0))));

    assertThat(harness.commands())
        .as("every create the cancel names was still queued: withdrawn, nothing to send")
        .isEmpty();
    assertThat(harness.lastState("old").active()).isFalse();
  }

  @Test
  void organizationsHaveTheirOwnBudgets() {
    budget(2);
    harness.template(template("v1", List.of(version("v1", preset("p1", 5)))));
    harness.template(other("tpl-b", "org-b", "b1", version("b1", preset("q1", 5))));

    List<CreatePrebuild> creates = creates();
    assertThat(creates)
        .extracting(CreatePrebuild::organizationId)
        .containsExactlyInAnyOrder(TopologyHarness.ORG, TopologyHarness.ORG, "org-b", "org-b");
  }

  @Test
  void scheduleDropWithdrawsQueuedCreatesButNotDispatchedOnes() {
    budget(1);
    harness.template(template("v1", List.of(version("v1", preset("p1", 4)))));
    List<CreatePrebuild> dispatched = creates();
    assertThat(dispatched).hasSize(1);

    harness.template(template("v1", List.of(version("v1", preset("p1", 1)))));

    assertThat(harness.commands()).as("queued creates withdrawn unsent").isEmpty();
    assertThat(harness.lastState("p1").explanation())
        .contains(
            "withdrawing 3 queued create(s) no longer needed: desired 1, running 0, starting 4");
    harness.completeCreates(dispatched);
    assertThat(harness.commands()).isEmpty();
    PresetSnapshot state = harness.lastState("p1");
    assertThat(state.running()).isEqualTo(1);
    assertThat(state.starting()).isZero();
  }

  @Test
  void commandTimeoutStartsAtDispatch() {
    budget(1);
    harness.template(template("v1", List.of(version("v1", preset("p1", 2)))));
    List<CreatePrebuild> first = creates();
    assertThat(first).hasSize(1);

    harness.advance(Duration.ofMinutes(20));
    harness.completeCreates(first);
    List<CreatePrebuild> second = creates();
    assertThat(second).as("dispatched at minute 20, issued at minute 0").hasSize(1);

    harness.advance(Duration.ofMinutes(25));
    assertThat(creates()).as("45 min after issue, 25 after dispatch: not timed out").isEmpty();

    harness.advance(Duration.ofMinutes(6));
    List<CreatePrebuild> replacement = creates();
    assertThat(replacement).as("timed out 30 min after dispatch, replaced").hasSize(1);
    assertThat(replacement.get(0).commandId()).isNotEqualTo(second.get(0).commandId());
  }

  @Test
  void pauseWithdrawsQueuedCreatesAndResumeIssuesThemAgain() {
    budget(1);
    harness.template(template("v1", List.of(version("v1", preset("p1", 3)))));
    assertThat(creates()).hasSize(1);

    harness.paused(true);
    harness.advance(Duration.ofSeconds(2));
    assertThat(harness.commands()).isEmpty();
    assertThat(harness.lastState("p1").starting()).as("only the dispatched create").isEqualTo(1);

    harness.paused(false);
    harness.advance(Duration.ofSeconds(2));
    assertThat(harness.commands()).as("budget still full").isEmpty();
    assertThat(harness.lastState("p1").starting()).isEqualTo(3);
  }

  @Test
  void claimsBypassTheBudget() {
    budget(1);
    harness.template(template("v1", List.of(version("v1", preset("p1", 1)))));
    harness.completeCreates(creates());
    harness.template(template("v1", List.of(version("v1", preset("p1", 4)))));
    assertThat(creates()).hasSize(1);

    harness.claim("p1", "claim-1", "alice", Duration.ofSeconds(10));

    assertThat(harness.commands(harness.commands(), ClaimWorkspace.class)).hasSize(1);
  }

  private static TemplateSnapshot other(
      String templateId,
      String organizationId,
      String activeVersion,
      TemplateSnapshot.Version... versions) {
    TemplateSnapshot t = template(activeVersion, List.of(versions));
    return new TemplateSnapshot(
        templateId,
        t.templateName(),
        organizationId,
        t.organizationName(),
        t.admins(),
        false,
        false,
        activeVersion,
        t.lifecycleDefaults(),
        t.versions(),
        t.snapshotAt());
  }

  private List<CreatePrebuild> creates() {
    return harness.commands(harness.commands(), CreatePrebuild.class);
  }

  private static List<String> ids(List<CreatePrebuild> creates) {
    return creates.stream().map(CreatePrebuild::commandId).toList();
  }

  private String workspaceOf(String createCommandId) {
    return io.prebuilds.reconcile.CommandIds.workspaceId(createCommandId);
  }

  private static <T> T single(List<T> values) {
    assertThat(values).hasSize(1);
    return values.get(0);
  }
}
