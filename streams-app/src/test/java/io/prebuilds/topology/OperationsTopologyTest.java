package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.ClaimWorkspace;
import io.prebuilds.schemas.event.Claimed;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CommandKind;
import io.prebuilds.schemas.event.CommandOutcome;
import io.prebuilds.schemas.event.CommandResult;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.DeleteReason;
import io.prebuilds.schemas.event.EnsureMembership;
import io.prebuilds.schemas.event.FailureKind;
import io.prebuilds.schemas.event.FailureLimitReached;
import io.prebuilds.schemas.event.InvalidatePreset;
import io.prebuilds.schemas.event.InventorySnapshot;
import io.prebuilds.schemas.event.Keys;
import io.prebuilds.schemas.event.Notification;
import io.prebuilds.schemas.event.PlanDriftDetected;
import io.prebuilds.schemas.event.PresetStatus;
import io.prebuilds.schemas.event.Replacement;
import io.prebuilds.schemas.event.ResetPreset;
import io.prebuilds.schemas.event.ResourceReplacements;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.schemas.event.WorkspaceState;

/** Topology II flows: control, pause, failure limit, drift, membership, inventory, refusals. */
class OperationsTopologyTest {

  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void invalidateExpiresEveryPrebuildAndReplacesIt() {
    List<String> pool = fillPool(2);
    harness.advance(Duration.ofSeconds(1));

    harness.control(new InvalidatePreset("p1", "ops", harness.now(), Optional.of("new AMI")));

    List<Command> commands = harness.commands();
    assertThat(harness.commands(commands, DeletePrebuild.class))
        .extracting(DeletePrebuild::workspaceId)
        .containsExactlyInAnyOrderElementsOf(pool);
    assertThat(harness.commands(commands, DeletePrebuild.class))
        .extracting(DeletePrebuild::reason)
        .containsOnly(DeleteReason.EXPIRED);
    assertThat(harness.commands(commands, CreatePrebuild.class)).hasSize(2);
  }

  @Test
  void failureLimitNotifiesOncePerEpisodeAndResetClearsIt() {
    harness.template(template("v1", List.of(version("v1", preset("p1", 1)))));
    for (int attempt = 0; attempt < 3; attempt++) {
      CreatePrebuild create = single(harness.commands(harness.commands(), CreatePrebuild.class));
      harness.build(
          harness.build(
              "p1",
              create.workspaceId(),
              1,
              create.commandId(),
              "v1",
              Transition.START,
              BuildStatus.FAILED,
              FailureKind.TRANSIENT));
      harness.advance(Duration.ofMinutes(5));
    }
    List<Notification> notifications = harness.notifications();
    assertThat(notifications).singleElement().isInstanceOf(FailureLimitReached.class);
    assertThat(((FailureLimitReached) notifications.get(0)).status())
        .isEqualTo(PresetStatus.HARD_LIMITED);
    assertThat(harness.lastState("p1").status()).isEqualTo(PresetStatus.HARD_LIMITED);

    harness.advance(Duration.ofHours(3));
    assertThat(harness.notifications()).isEmpty();
    assertThat(harness.commands(harness.commands(), CreatePrebuild.class)).isEmpty();

    harness.control(new ResetPreset("p1", "ops", harness.now(), Optional.empty()));
    assertThat(harness.commands(harness.commands(), CreatePrebuild.class)).hasSize(1);
    assertThat(harness.lastState("p1").status()).isEqualTo(PresetStatus.NORMAL);
  }

  @Test
  void pauseHoldsCreatesAndDeletesButClaimsFlowAndResumeCatchesUp() {
    fillPool(2);
    harness.paused(true);
    harness.advance(Duration.ofSeconds(1));

    harness.claim("p1", "claim-1", "alice", Duration.ofSeconds(10));
    assertThat(harness.claimResults()).singleElement().isInstanceOf(Claimed.class);
    List<Command> whilePaused = harness.commands();
    assertThat(harness.commands(whilePaused, ClaimWorkspace.class)).hasSize(1);
    assertThat(harness.commands(whilePaused, CreatePrebuild.class)).isEmpty();
    harness.template(
        template("v2", List.of(version("v1", preset("p1", 2)), version("v2", preset("p2", 1)))));
    assertThat(harness.commands(harness.commands(), DeletePrebuild.class)).isEmpty();

    harness.paused(false);
    harness.advance(Duration.ofSeconds(2));
    List<Command> resumed = harness.commands();
    assertThat(harness.commands(resumed, DeletePrebuild.class)).hasSize(1);
    assertThat(harness.commands(resumed, CreatePrebuild.class))
        .extracting(CreatePrebuild::presetId)
        .containsExactly("p2");
  }

  @Test
  void planDriftCountsOncePerClaimBuildIgnoresCoderResourcesAndNotifiesAdmins() {
    List<String> pool = fillPool(1);
    PlanDriftDetected drift =
        new PlanDriftDetected(
            "p1",
            pool.get(0),
            "b-2",
            2,
            Optional.of("claim-1"),
            List.of(
                new Replacement("aws_instance.dev", List.of("ami")),
                new Replacement("coder_agent.main", List.of("env"))),
            harness.now());
    harness.planDrift(drift);

    ResourceReplacements notification = (ResourceReplacements) single(harness.notifications());
    assertThat(notification.replacements())
        .extracting(Replacement::resource)
        .containsExactly("aws_instance.dev");
    assertThat(notification.recipients())
        .extracting(r -> r.username())
        .containsExactly("platform-admin");
    assertThat(harness.lastState("p1").counters().resourceReplacementsTotal()).isEqualTo(1);

    harness.planDrift(drift);
    assertThat(harness.notifications()).isEmpty();
    assertThat(harness.presetStates()).isEmpty();
  }

  @Test
  void planDriftOfOnlyCoderResourcesIsNotCounted() {
    List<String> pool = fillPool(1);
    harness.planDrift(
        new PlanDriftDetected(
            "p1",
            pool.get(0),
            "b-2",
            2,
            Optional.empty(),
            List.of(new Replacement("coder_agent.main", List.of("env"))),
            harness.now()));
    assertThat(harness.notifications()).isEmpty();
  }

  @Test
  void membershipIsEnsuredOncePerOrganizationAndAgainOnlyAfterAFailure() {
    harness.template(
        template("v1", List.of(version("v1", preset("p1", 1), preset("p2", 1), preset("p3", 1)))));
    List<EnsureMembership> first = harness.commands(harness.commands(), EnsureMembership.class);
    assertThat(first)
        .singleElement()
        .satisfies(m -> assertThat(m.organizationId()).isEqualTo(TopologyHarness.ORG));

    harness.template(template("v1", List.of(version("v1", preset("p1", 2)))));
    assertThat(harness.commands(harness.commands(), EnsureMembership.class)).isEmpty();

    harness.commandResult(
        Keys.organization(TopologyHarness.ORG),
        new CommandResult(
            first.get(0).commandId(),
            CommandKind.ENSURE_MEMBERSHIP,
            Optional.empty(),
            Optional.of(TopologyHarness.ORG),
            Optional.empty(),
            CommandOutcome.FAILED,
            "group missing",
            harness.now()));
    EnsureMembership retry = single(harness.commands(harness.commands(), EnsureMembership.class));
    assertThat(retry.commandId()).isNotEqualTo(first.get(0).commandId());
  }

  @Test
  void inventoryAdoptsUnknownWorkspacesAndForgetsPhantoms() {
    List<String> pool = fillPool(1);
    harness.advance(Duration.ofMinutes(1));
    harness.inventory(
        new InventorySnapshot(
            "p1",
            "provider-1",
            harness.now(),
            List.of(
                new InventorySnapshot.Workspace(
                    "ws-adopted", 1, "v1", WorkspaceState.RUNNING, true, true))));

    StoredPreset stored =
        harness
            .driver
            .<String, StoredPreset>getKeyValueStore(PrebuildsTopology.PRESET_STATE_STORE)
            .get("p1");
    assertThat(stored.state().prebuilds())
        .extracting(io.prebuilds.reconcile.Prebuild::workspaceId)
        .containsExactly("ws-adopted")
        .doesNotContainAnyElementsOf(pool);
    assertThat(harness.commands(harness.commands(), CreatePrebuild.class)).isEmpty();
  }

  @Test
  void refusedDeleteIsCountedAndTheWorkspaceIsNoLongerOurs() {
    fillPool(1);
    harness.template(template("v2", List.of(version("v1", preset("p1", 1)), version("v2"))));
    DeletePrebuild delete = single(harness.commands(harness.commands(), DeletePrebuild.class));

    harness.commandResult(
        "p1",
        new CommandResult(
            delete.commandId(),
            CommandKind.DELETE_PREBUILD,
            Optional.of("p1"),
            Optional.of(TopologyHarness.ORG),
            Optional.of(delete.workspaceId()),
            CommandOutcome.REFUSED,
            "claimed by a user",
            harness.now()));

    assertThat(harness.lastState("p1").deleting()).isZero();
    harness.advance(Duration.ofHours(2));
    assertThat(harness.commands(harness.commands(), DeletePrebuild.class)).isEmpty();
  }

  @Test
  void drainedPresetIsForgottenAfterItsRetentionAndItsRecordTombstoned() {
    List<String> pool = fillPool(1);
    harness.template(template("v2", List.of(version("v1", preset("p1", 1)), version("v2"))));
    DeletePrebuild delete = single(harness.commands(harness.commands(), DeletePrebuild.class));
    harness.build(
        harness.build(
            "p1",
            pool.get(0),
            2,
            delete.commandId(),
            "v1",
            Transition.DELETE,
            BuildStatus.SUCCEEDED,
            null));
    harness.presetStates();

    harness.advance(Duration.ofHours(23));
    assertThat(harness.presetStateTombstones()).isEmpty();
    harness.advance(Duration.ofHours(2));

    assertThat(harness.presetStateTombstones()).containsExactly("p1");
    assertThat(
            harness
                .driver
                .<String, StoredPreset>getKeyValueStore(PrebuildsTopology.PRESET_STATE_STORE)
                .get("p1"))
        .isNull();
  }

  private List<String> fillPool(int size) {
    harness.template(template("v1", List.of(version("v1", preset("p1", size)))));
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
