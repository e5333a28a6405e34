package io.prebuilds.runtime.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.AgentStatusChanged;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimWorkspace;
import io.prebuilds.schemas.event.CommandOutcome;
import io.prebuilds.schemas.event.CommandResult;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.DeleteReason;
import io.prebuilds.schemas.event.EnsureMembership;
import io.prebuilds.schemas.event.InventorySnapshot;
import io.prebuilds.schemas.event.Lifecycle;
import io.prebuilds.schemas.event.PlanDriftDetected;
import io.prebuilds.schemas.event.ReinitializeAgent;
import io.prebuilds.schemas.event.TemplateSnapshot;
import io.prebuilds.schemas.event.Transition;

class DemoProvisionerTest {
  private static final Instant T0 = Instant.parse("2025-06-02T08:00:00Z");
  private static final String SYSTEM = DeletePrebuild.PREBUILDS_SYSTEM_USER_ID;

  private final DemoProvisioner demo =
      new DemoProvisioner(DemoSettings.defaults().withFailureRate(0), "test");

  private static CreatePrebuild create(String preset, String workspace) {
    return new CreatePrebuild(
        "create-" + workspace,
        preset,
        DemoTemplates.ORGANIZATION_ID,
        DemoTemplates.TEMPLATE_ID,
        T0,
        workspace,
        "prebuild-" + workspace,
        DemoTemplates.VERSION_ID);
  }

  private static ClaimWorkspace claim(String workspace, String claimId) {
    return new ClaimWorkspace(
        "claim-" + claimId,
        DemoTemplates.SMALL_PRESET,
        DemoTemplates.ORGANIZATION_ID,
        DemoTemplates.TEMPLATE_ID,
        T0,
        claimId,
        workspace,
        "user-1",
        "my-workspace",
        DemoTemplates.VERSION_ID,
        Lifecycle.none());
  }

  private static DeletePrebuild delete(String workspace) {
    return new DeletePrebuild(
        "delete-" + workspace,
        DemoTemplates.SMALL_PRESET,
        DemoTemplates.ORGANIZATION_ID,
        DemoTemplates.TEMPLATE_ID,
        T0,
        workspace,
        DemoTemplates.VERSION_ID,
        DeleteReason.EXTRANEOUS,
        SYSTEM);
  }

  private static Object data(Outgoing outgoing) {
    return outgoing.envelope().data();
  }

  @Test
  void aCreateIsAnsweredWithASuccessfulBuildAndReadyAgentsAfterTheBuildTime() {
    var out = demo.onCommand(create(DemoTemplates.SMALL_PRESET, "w1"), T0);

    assertThat(out).hasSize(2);
    var build = (BuildCompleted) data(out.get(0));
    assertThat(build.status()).isEqualTo(BuildStatus.SUCCEEDED);
    assertThat(build.buildNumber()).isEqualTo(1);
    assertThat(build.commandId()).contains("create-w1");
    assertThat(build.initiator()).isEqualTo(SYSTEM);
    assertThat(out.get(0).at()).isAfterOrEqualTo(T0.plusSeconds(3)).isBefore(T0.plusSeconds(4));
    assertThat(data(out.get(1))).isInstanceOf(AgentStatusChanged.class);
    assertThat(out.get(1).at()).isAfter(out.get(0).at());
  }

  @Test
  void theBrokenPresetAlwaysFails() {
    var out = demo.onCommand(create(DemoTemplates.BROKEN_PRESET, "w1"), T0);

    assertThat(out)
        .singleElement()
        .extracting(o -> ((BuildCompleted) data(o)).status())
        .isEqualTo(BuildStatus.FAILED);
  }

  @Test
  void aRepeatedCommandIdIsIgnored() {
    demo.onCommand(create(DemoTemplates.SMALL_PRESET, "w1"), T0);

    assertThat(demo.onCommand(create(DemoTemplates.SMALL_PRESET, "w1"), T0.plusSeconds(1)))
        .isEmpty();
  }

  @Test
  void aClaimIsABuildOfTheUserWithTheNextBuildNumberAndTheSecondClaimDrifts() {
    demo.onCommand(create(DemoTemplates.SMALL_PRESET, "w1"), T0);
    demo.onCommand(create(DemoTemplates.SMALL_PRESET, "w2"), T0);

    var first = demo.onCommand(claim("w1", "c1"), T0.plusSeconds(10));
    var second = demo.onCommand(claim("w2", "c2"), T0.plusSeconds(10));

    var build = (BuildCompleted) data(first.get(0));
    assertThat(build.transition()).isEqualTo(Transition.START);
    assertThat(build.buildNumber()).isEqualTo(2);
    assertThat(build.initiator()).isEqualTo("user-1");
    assertThat(build.claimId()).contains("c1");
    assertThat(first).hasSize(1);
    assertThat(second).hasSize(2);
    var drift = (PlanDriftDetected) data(second.get(1));
    assertThat(drift.claimId()).contains("c2");
    assertThat(drift.buildNumber()).isEqualTo(2);
    assertThat(drift.replacements()).isNotEmpty();
  }

  @Test
  void deletingOrClaimingAClaimedWorkspaceIsRefused() {
    demo.onCommand(create(DemoTemplates.SMALL_PRESET, "w1"), T0);
    demo.onCommand(claim("w1", "c1"), T0.plusSeconds(10));

    var deleted = demo.onCommand(delete("w1"), T0.plusSeconds(20));
    var claimedAgain = demo.onCommand(claim("w1", "c2"), T0.plusSeconds(20));

    assertThat(deleted)
        .singleElement()
        .extracting(o -> ((CommandResult) data(o)).outcome())
        .isEqualTo(CommandOutcome.REFUSED);
    assertThat(claimedAgain)
        .singleElement()
        .extracting(o -> ((CommandResult) data(o)).outcome())
        .isEqualTo(CommandOutcome.REFUSED);
  }

  @Test
  void aDeleteIsADeleteBuildWithTheNextBuildNumber() {
    demo.onCommand(create(DemoTemplates.SMALL_PRESET, "w1"), T0);

    var build = (BuildCompleted) data(demo.onCommand(delete("w1"), T0.plusSeconds(10)).get(0));

    assertThat(build.transition()).isEqualTo(Transition.DELETE);
    assertThat(build.status()).isEqualTo(BuildStatus.SUCCEEDED);
    assertThat(build.buildNumber()).isEqualTo(2);
  }

  @Test
  void reinitializationAndMembershipAreAcknowledged() {
    var reinit =
        demo.onCommand(
            new ReinitializeAgent(
                "r1",
                DemoTemplates.SMALL_PRESET,
                DemoTemplates.ORGANIZATION_ID,
                DemoTemplates.TEMPLATE_ID,
                T0,
                "c1",
                "w1",
                "user-1"),
            T0);
    var membership =
        demo.onCommand(new EnsureMembership("m1", DemoTemplates.ORGANIZATION_ID, T0), T0);

    assertThat(reinit)
        .singleElement()
        .satisfies(o -> assertThat(o.topic()).isEqualTo(Topics.COMMAND_RESULTS))
        .extracting(o -> ((CommandResult) data(o)).outcome())
        .isEqualTo(CommandOutcome.SUCCEEDED);
    assertThat(membership)
        .singleElement()
        .extracting(o -> o.envelope().subject())
        .isEqualTo("org:" + DemoTemplates.ORGANIZATION_ID);
  }

  @Test
  void inventoryLeavesOutWorkspacesThatChangedWithinTheSettleTime() {
    demo.onCommand(create(DemoTemplates.SMALL_PRESET, "w1"), T0);

    var early = inventoryOf(demo.inventory(T0.plusSeconds(6)));
    var later = inventoryOf(demo.inventory(T0.plusSeconds(30)));

    assertThat(early.workspaces()).isEmpty();
    assertThat(early.observedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(later.workspaces())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.workspaceId()).isEqualTo("w1");
              assertThat(w.agentsReady()).isTrue();
              assertThat(w.ownerIsPrebuildsUser()).isTrue();
            });
  }

  @Test
  void templatesHaveTwoPresetsOneScheduledAndABrokenOneAndEverythingIsValid() {
    var codec = EventCodec.create();
    List<Outgoing> templates = demo.templates(T0);
    var go = (TemplateSnapshot) data(templates.get(0));

    assertThat(go.versions().get(0).presets()).hasSize(2);
    assertThat(go.versions().get(0).presets()).filteredOn(p -> !p.schedules().isEmpty()).hasSize(1);
    assertThat(templates)
        .extracting(o -> ((TemplateSnapshot) data(o)).templateId())
        .contains(DemoTemplates.BROKEN_TEMPLATE_ID);
    Outgoing claim = demo.claim(T0);
    assertThat(((ClaimRequested) data(claim)).deadline()).isAfter(T0);
    for (Outgoing outgoing : List.of(templates.get(0), templates.get(1), claim)) {
      assertThat(codec.decode(codec.encode(outgoing.envelope())))
          .isInstanceOf(io.prebuilds.schemas.Decoded.Accepted.class);
    }
  }

  private static InventorySnapshot inventoryOf(List<Outgoing> snapshots) {
    return snapshots.stream()
        .map(o -> (InventorySnapshot) data(o))
        .filter(s -> s.presetId().equals(DemoTemplates.SMALL_PRESET))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void settingsRejectAFailureRateOutsideZeroToOne() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DemoSettings.defaults().withFailureRate(1.5))
        .hasMessageContaining("failureRate");
    assertThat(DemoSettings.defaults().buildTime()).isEqualTo(Duration.ofSeconds(3));
  }
}
