package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.ClaimBuildFailed;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimResult;
import io.prebuilds.schemas.event.ClaimWorkspace;
import io.prebuilds.schemas.event.Claimed;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.DeleteReason;
import io.prebuilds.schemas.event.InventorySnapshot;
import io.prebuilds.schemas.event.NoPrebuildAvailable;
import io.prebuilds.schemas.event.NoPrebuildReason;
import io.prebuilds.schemas.event.NotificationKind;
import io.prebuilds.schemas.event.PresetSnapshot;
import io.prebuilds.schemas.event.ReinitializeAgent;
import io.prebuilds.schemas.event.ResyncPreset;
import io.prebuilds.schemas.event.TemplateSnapshot;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.schemas.event.UserRef;
import io.prebuilds.schemas.event.WorkspaceState;

class PresetTopologyTest {

  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void poolFillsFromATemplateSnapshot() {
    harness.template(template("v1", List.of(version("v1", preset("p1", 2)))));

    List<CreatePrebuild> creates = harness.commands(harness.commands(), CreatePrebuild.class);
    assertThat(creates).hasSize(2);
    assertThat(creates).extracting(CreatePrebuild::templateVersionId).containsOnly("v1");
    assertThat(creates).extracting(CreatePrebuild::commandId).doesNotHaveDuplicates();
    PresetSnapshot state = harness.lastState("p1");
    assertThat(state.desired()).isEqualTo(2);
    assertThat(state.starting()).isEqualTo(2);

    harness.completeCreates(creates);

    assertThat(harness.commands()).isEmpty();
    PresetSnapshot full = harness.lastState("p1");
    assertThat(full.running()).isEqualTo(2);
    assertThat(full.eligible()).isEqualTo(2);
    assertThat(full.counters().createdTotal()).isEqualTo(2);
  }

  @Test
  void anEventKeepsAPendingResyncAndTheTimerStillComes() {
    fillPool("p1", 1);
    Instant resync = harness.stored("p1").dueAt();
    assertThat(resync)
        .as("a full pool waits for its resync")
        .isAfter(harness.now().plusSeconds(3000));
    harness.advance(Duration.ofMinutes(5));

    harness.control(new ResyncPreset("p1", "ops", harness.now(), Optional.empty()));

    assertThat(harness.stored("p1").dueAt())
        .as("the decision's own resync is 5 min later; the pending one stays")
        .isEqualTo(resync);

    harness.advance(Duration.between(harness.now(), resync).plusSeconds(1));

    assertThat(harness.commands()).as("the early wake decides nothing new").isEmpty();
    assertThat(harness.stored("p1").dueAt())
        .as("the timer decision stores the next resync")
        .isAfter(resync.plus(Duration.ofMinutes(30)));
  }

  @Test
  void anEventMovesANearTimerToWhatTheDecisionSays() {
    harness.template(template("v1", List.of(version("v1", preset("p1", 1)))));
    List<CreatePrebuild> creates = harness.commands(harness.commands(), CreatePrebuild.class);
    Instant whileCreating = harness.stored("p1").dueAt();
    harness.advance(Duration.ofSeconds(5));

    harness.completeCreates(creates);

    assertThat(harness.stored("p1").dueAt())
        .as("the command timeout no longer applies; the resync does")
        .isEqualTo(harness.lastState("p1").nextDueAt().orElseThrow())
        .isAfter(whileCreating);
  }

  @Test
  void claimGetsTheOldestPrebuildACommandAndABackfill() {
    String oldest = fillPool("p1", 1).get(0);
    harness.advance(Duration.ofMinutes(1));
    harness.template(template("v1", List.of(version("v1", preset("p1", 2)))));
    harness.completeCreates(harness.commands(harness.commands(), CreatePrebuild.class));
    harness.presetStates();

    harness.claim("p1", "claim-1", "alice", Duration.ofSeconds(10));

    ClaimResult result = single(harness.claimResults());
    assertThat(result).isInstanceOf(Claimed.class);
    Claimed claimed = (Claimed) result;
    assertThat(claimed.workspaceId()).isEqualTo(oldest);
    assertThat(claimed.userId()).isEqualTo("alice");
    assertThat(claimed.lifecycle().defaultTtlSeconds()).hasValue(28800);
    List<Command> commands = harness.commands();
    ClaimWorkspace claim = single(harness.commands(commands, ClaimWorkspace.class));
    assertThat(claim.initiator()).isEqualTo("alice");
    assertThat(claim.workspaceId()).isEqualTo(oldest);
    assertThat(harness.commands(commands, CreatePrebuild.class)).hasSize(1);
    assertThat(harness.lastState("p1").counters().claimedTotal()).isEqualTo(1);
  }

  @Test
  void reinitializeIsEmittedOnceWhenTheClaimBuildSucceeds() {
    List<String> workspaces = fillPool("p1", 1);
    harness.claim("p1", "claim-1", "alice", Duration.ofSeconds(10));
    harness.commands();

    var claimBuild =
        harness.build(
            "p1", workspaces.get(0), 2, null, "v1", Transition.START, BuildStatus.SUCCEEDED, null);
    harness.build(claimBuild);
    ReinitializeAgent reinit =
        single(harness.commands(harness.commands(), ReinitializeAgent.class));
    assertThat(reinit.claimId()).isEqualTo("claim-1");
    assertThat(reinit.userId()).isEqualTo("alice");
    assertThat(reinit.workspaceId()).isEqualTo(workspaces.get(0));

    harness.build(claimBuild);
    assertThat(harness.commands(harness.commands(), ReinitializeAgent.class)).isEmpty();
  }

  @Test
  void theUsersLaterBuildsOfAClaimedWorkspaceDoNotPutItBackInThePool() {
    String workspace = fillPool("p1", 1).get(0);
    harness.claim("p1", "claim-1", "alice", Duration.ofSeconds(10));
    harness.build(
        harness.usersBuild("p1", workspace, 2, "claim-1", "v1", Transition.START, "alice"));
    harness.completeCreates(harness.commands(harness.commands(), CreatePrebuild.class));
    assertThat(harness.stored("p1").state().prebuild(workspace)).isNull();

    harness.advance(Duration.ofHours(2));
    harness.build(harness.usersBuild("p1", workspace, 3, null, "v1", Transition.STOP, "alice"));

    assertThat(harness.stored("p1").state().prebuild(workspace))
        .as("the user's stop build is not adopted")
        .isNull();
    assertThat(harness.commands(harness.commands(), DeletePrebuild.class)).isEmpty();
    assertThat(harness.lastState("p1").running()).isEqualTo(1);
  }

  @Test
  void anInventoryTakenJustBeforeAClaimDoesNotHandTheWorkspaceOutAgain() {
    String workspace = fillPool("p1", 1).get(0);
    Instant beforeTheClaim = harness.now();
    harness.advance(Duration.ofSeconds(5));
    harness.claim("p1", "claim-1", "alice", Duration.ofSeconds(10));
    harness.build(
        harness.usersBuild("p1", workspace, 2, "claim-1", "v1", Transition.START, "alice"));
    harness.completeCreates(harness.commands(harness.commands(), CreatePrebuild.class));
    harness.claimResults();

    harness.inventory(
        new InventorySnapshot(
            "p1",
            "provider-1",
            beforeTheClaim,
            List.of(
                new InventorySnapshot.Workspace(
                    workspace, 1, "v1", WorkspaceState.RUNNING, true, true))));
    harness.claim("p1", "claim-2", "bob", Duration.ofSeconds(10));

    assertThat(harness.stored("p1").state().prebuild(workspace)).isNull();
    Claimed second = (Claimed) single(harness.claimResults());
    assertThat(second.workspaceId()).isNotEqualTo(workspace);
  }

  @Test
  void failedClaimBuildFailsTheClaimAndDoesNotReinitialize() {
    List<String> workspaces = fillPool("p1", 1);
    harness.claim("p1", "claim-1", "alice", Duration.ofSeconds(10));
    harness.claimResults();
    harness.commands();

    harness.build(
        harness.build(
            "p1", workspaces.get(0), 2, null, "v1", Transition.START, BuildStatus.FAILED, null));

    ClaimResult result = single(harness.claimResults());
    assertThat(result).isInstanceOf(io.prebuilds.schemas.event.ClaimFailed.class);
    assertThat(result.claimId()).isEqualTo("claim-1");
    assertThat(harness.commands(harness.commands(), ReinitializeAgent.class)).isEmpty();
  }

  @Test
  void failedClaimBuildNotifiesTheUserAndAdminsOnceAndHygieneDeletesTheWorkspace() {
    fillPool("p1", 2);
    harness.claim("p1", "claim-1", "alice", Duration.ofSeconds(10));
    harness.claim("p1", "claim-2", "bob", Duration.ofSeconds(10));
    harness.claimResults();
    List<String> workspaces =
        harness.commands(harness.commands(), ClaimWorkspace.class).stream()
            .map(ClaimWorkspace::workspaceId)
            .toList();
    harness.advance(Duration.ofSeconds(1));
    var first =
        harness.build(
            "p1", workspaces.get(0), 2, null, "v1", Transition.START, BuildStatus.FAILED, null);
    var second =
        harness.build(
            "p1", workspaces.get(1), 2, null, "v1", Transition.START, BuildStatus.FAILED, null);

    harness.build(first);

    ClaimBuildFailed notification = (ClaimBuildFailed) single(harness.notifications());
    assertThat(notification.kind()).isEqualTo(NotificationKind.CLAIM_FAILED);
    assertThat(notification.claimId()).isEqualTo("claim-1");
    assertThat(notification.workspaceId()).isEqualTo(workspaces.get(0));
    assertThat(notification.userId()).isEqualTo("alice");
    assertThat(notification.buildNumber()).isEqualTo(2);
    assertThat(notification.recipients())
        .containsExactly(new UserRef("alice", "alice"), new UserRef("admin-1", "platform-admin"));
    assertThat(harness.commands(harness.commands(), DeletePrebuild.class))
        .as("the only failed prebuild is kept (failedRetention 1)")
        .isEmpty();

    assertThat(single(harness.claimResults()).claimId()).isEqualTo("claim-1");
    harness.build(second);

    assertThat(single(harness.claimResults()).claimId()).isEqualTo("claim-2");
    assertThat(single(harness.notifications()).presetId()).isEqualTo("p1");
    DeletePrebuild delete = single(harness.commands(harness.commands(), DeletePrebuild.class));
    assertThat(delete.workspaceId()).isEqualTo(workspaces.get(0));
    assertThat(delete.reason()).isEqualTo(DeleteReason.FAILED);

    harness.build(first);
    harness.build(second);

    assertThat(harness.notifications()).isEmpty();
    assertThat(harness.claimResults()).isEmpty();
  }

  @Test
  void duplicateClaimIdReturnsTheFirstResultAndEmitsNothingNew() {
    fillPool("p1", 2);
    Envelope<ClaimRequested> first =
        harness.claim("p1", "claim-1", "alice", Duration.ofSeconds(10));
    ClaimResult firstResult = single(harness.claimResults());
    harness.commands();

    harness.pipeClaimAgain(first, "claim-1-retry");

    assertThat(harness.claimResults()).containsExactly(firstResult);
    assertThat(harness.commands()).isEmpty();
  }

  @Test
  void claimPastItsDeadlineIsNeverHonoured() {
    fillPool("p1", 1);
    harness.claim("p1", "late", "bob", Duration.ofSeconds(-1));

    NoPrebuildAvailable result = (NoPrebuildAvailable) single(harness.claimResults());
    assertThat(result.reason()).isEqualTo(NoPrebuildReason.DEADLINE_PASSED);
    assertThat(harness.commands()).isEmpty();
  }

  @Test
  void claimForAnUnknownPresetIsAnsweredAtOnce() {
    harness.claim("nobody", "c-1", "bob", Duration.ofSeconds(10));

    NoPrebuildAvailable result = (NoPrebuildAvailable) single(harness.claimResults());
    assertThat(result.reason()).isEqualTo(NoPrebuildReason.UNKNOWN_PRESET);
  }

  @Test
  void claimWithNoEligiblePrebuildIsAnsweredNoneEligible() {
    harness.template(template("v1", List.of(version("v1", preset("p1", 1)))));
    harness.commands();
    harness.claim("p1", "c-1", "bob", Duration.ofSeconds(10));

    NoPrebuildAvailable result = (NoPrebuildAvailable) single(harness.claimResults());
    assertThat(result.reason()).isEqualTo(NoPrebuildReason.NONE_ELIGIBLE);
  }

  @Test
  void versionRolloverDrainsTheOldPresetWithItsOwnVersionAndFillsTheNew() {
    List<String> old = fillPool("p1", 2);

    harness.template(
        template("v2", List.of(version("v1", preset("p1", 2)), version("v2", preset("p2", 1)))));

    List<Command> commands = harness.commands();
    List<DeletePrebuild> deletes = harness.commands(commands, DeletePrebuild.class);
    assertThat(deletes)
        .extracting(DeletePrebuild::workspaceId)
        .containsExactlyInAnyOrderElementsOf(old);
    assertThat(deletes).extracting(DeletePrebuild::reason).containsOnly(DeleteReason.OUTDATED);
    assertThat(deletes).extracting(DeletePrebuild::templateVersionId).containsOnly("v1");
    assertThat(deletes)
        .extracting(DeletePrebuild::expectedOwner)
        .containsOnly(TopologyHarness.SYSTEM_USER);
    List<CreatePrebuild> creates = harness.commands(commands, CreatePrebuild.class);
    assertThat(creates)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.presetId()).isEqualTo("p2");
              assertThat(c.templateVersionId()).isEqualTo("v2");
            });
  }

  @Test
  void deletedTemplateDrainsItsPresets() {
    fillPool("p1", 1);
    harness.template(template("v1", List.of(version("v1", preset("p1", 1))), false, true));

    DeletePrebuild delete = single(harness.commands(harness.commands(), DeletePrebuild.class));
    assertThat(delete.reason()).isEqualTo(DeleteReason.TEMPLATE_DELETED);
  }

  @Test
  void templateTombstoneDrainsItsPresets() {
    fillPool("p1", 1);
    harness.templateTombstone(TopologyHarness.TEMPLATE);

    DeletePrebuild delete = single(harness.commands(harness.commands(), DeletePrebuild.class));
    assertThat(delete.reason()).isEqualTo(DeleteReason.TEMPLATE_DELETED);
  }

  @Test
  void deprecatedTemplateDrainsItsPresetsAsOutdated() {
    fillPool("p1", 1);
    harness.template(template("v1", List.of(version("v1", preset("p1", 1))), true, false));

    DeletePrebuild delete = single(harness.commands(harness.commands(), DeletePrebuild.class));
    assertThat(delete.reason()).isEqualTo(DeleteReason.OUTDATED);
    assertThat(harness.lastState("p1").desired()).isZero();
  }

  @Test
  void expiredPrebuildIsDeletedAndReplacedWhenItsTtlPasses() {
    harness.template(
        template(
            "v1",
            List.of(version("v1", preset("p1", 1, "UTC", List.of(), OptionalLong.of(3600))))));
    String workspace =
        harness.completeCreates(harness.commands(harness.commands(), CreatePrebuild.class)).get(0);

    harness.advance(Duration.ofMinutes(59));
    assertThat(harness.commands()).isEmpty();

    harness.advance(Duration.ofMinutes(2));
    List<Command> commands = harness.commands();
    DeletePrebuild delete = single(harness.commands(commands, DeletePrebuild.class));
    assertThat(delete.workspaceId()).isEqualTo(workspace);
    assertThat(delete.reason()).isEqualTo(DeleteReason.EXPIRED);
    assertThat(harness.commands(commands, CreatePrebuild.class)).hasSize(1);
  }

  @Test
  void scheduleSwitchesDesiredAtTheBoundary() {
    harness.template(
        template(
            "v1",
            List.of(
                version(
                    "v1",
                    preset(
                        "p1",
                        1,
                        "UTC",
                        List.of(new TemplateSnapshot.Schedule("* 9-18 * * 1-5", 3)),
                        OptionalLong.empty())))));
    harness.completeCreates(harness.commands(harness.commands(), CreatePrebuild.class));

    harness.advance(Duration.ofMinutes(59));
    assertThat(harness.commands()).isEmpty();

    harness.advance(Duration.ofMinutes(1));
    assertThat(harness.commands(harness.commands(), CreatePrebuild.class)).hasSize(2);
    assertThat(harness.lastState("p1").desired()).isEqualTo(3);
  }

  @Test
  void staleBuildEventIsDroppedAndChangesNothing() {
    List<String> workspaces = fillPool("p1", 1);
    harness.build(
        harness.build(
            "p1", workspaces.get(0), 3, null, "v1", Transition.STOP, BuildStatus.SUCCEEDED, null));
    harness.commands();
    harness.presetStates();

    harness.build(
        harness.build(
            "p1", workspaces.get(0), 2, null, "v1", Transition.START, BuildStatus.SUCCEEDED, null));

    assertThat(harness.commands()).isEmpty();
    assertThat(harness.presetStates()).isEmpty();
  }

  @Test
  void duplicateEventChangesNothing() {
    harness.template(template("v1", List.of(version("v1", preset("p1", 1)))));
    CreatePrebuild create = single(harness.commands(harness.commands(), CreatePrebuild.class));
    byte[] event =
        harness.encode(
            harness.startSucceeded("p1", create.workspaceId(), 1, create.commandId(), "v1"));
    harness.rawBuild("p1", event);
    harness.presetStates();

    harness.rawBuild("p1", event);

    assertThat(harness.commands()).isEmpty();
    assertThat(harness.presetStates()).isEmpty();
  }

  @Test
  void buildThatArrivesBeforeItsPresetWaitsForTheDefinition() {
    harness.build(harness.startSucceeded("p1", "ws-early", 1, null, "v1"));
    harness.agentsReady("p1", "ws-early", 1);
    assertThat(harness.commands()).isEmpty();

    harness.template(template("v1", List.of(version("v1", preset("p1", 1)))));

    assertThat(harness.commands(harness.commands(), CreatePrebuild.class)).isEmpty();
    PresetSnapshot state = harness.lastState("p1");
    assertThat(state.running()).isEqualTo(1);
    assertThat(state.eligible()).isEqualTo(1);
  }

  @Test
  void sameInputsGiveTheSameCommandIds() {
    List<String> first = runRollover();
    List<String> second = runRollover();
    assertThat(second).isEqualTo(first).isNotEmpty();
  }

  @Test
  void presetStateRecordsAreNamedByWhatCausedThemSoAReplayNamesThemAlike() {
    List<String> first = rolloverStateIds();
    List<String> second = rolloverStateIds();

    assertThat(first).isNotEmpty().doesNotHaveDuplicates();
    assertThat(second).isEqualTo(first);
  }

  private List<String> rolloverStateIds() {
    try (TopologyHarness other = new TopologyHarness()) {
      other.template(template("v1", List.of(version("v1", preset("p1", 2)))));
      other.completeCreates(other.commands(other.commands(), CreatePrebuild.class));
      other.advance(Duration.ofHours(2));
      other.template(
          template("v2", List.of(version("v1", preset("p1", 2)), version("v2", preset("p2", 1)))));
      return other.presetStateIds();
    }
  }

  private List<String> runRollover() {
    try (TopologyHarness other = new TopologyHarness()) {
      other.template(template("v1", List.of(version("v1", preset("p1", 2)))));
      List<String> ids = new java.util.ArrayList<>();
      List<CreatePrebuild> creates = other.commands(other.commands(), CreatePrebuild.class);
      creates.forEach(c -> ids.add(c.commandId()));
      other.completeCreates(creates);
      other.advance(Duration.ofHours(2));
      other.template(
          template("v2", List.of(version("v1", preset("p1", 2)), version("v2", preset("p2", 1)))));
      other.commands().forEach(c -> ids.add(c.commandId()));
      return ids;
    }
  }

  private List<String> fillPool(String presetId, int size) {
    harness.template(template("v1", List.of(version("v1", preset(presetId, size)))));
    List<String> workspaces =
        harness.completeCreates(harness.commands(harness.commands(), CreatePrebuild.class));
    harness.presetStates();
    return workspaces;
  }

  private static <T> T single(List<T> items) {
    assertThat(items).hasSize(1);
    return items.get(0);
  }
}
