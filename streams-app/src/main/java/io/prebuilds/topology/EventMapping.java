package io.prebuilds.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.prebuilds.reconcile.Action;
import io.prebuilds.reconcile.AgentStatus;
import io.prebuilds.reconcile.BuildCompleted;
import io.prebuilds.reconcile.BuildStatus;
import io.prebuilds.reconcile.BuildTransition;
import io.prebuilds.reconcile.Claim;
import io.prebuilds.reconcile.ClaimDecision;
import io.prebuilds.reconcile.ClaimRequest;
import io.prebuilds.reconcile.CommandIds;
import io.prebuilds.reconcile.CommandResult;
import io.prebuilds.reconcile.Decision;
import io.prebuilds.reconcile.Diagnostics;
import io.prebuilds.reconcile.FailureKind;
import io.prebuilds.reconcile.Inventory;
import io.prebuilds.reconcile.LifecycleDefaults;
import io.prebuilds.reconcile.Prebuild;
import io.prebuilds.reconcile.PrebuildSchedule;
import io.prebuilds.reconcile.PresetDefinition;
import io.prebuilds.reconcile.PresetState;
import io.prebuilds.reconcile.TemplateAdmin;
import io.prebuilds.reconcile.Trigger;
import io.prebuilds.schemas.event.AgentStatusChanged;
import io.prebuilds.schemas.event.CancelPending;
import io.prebuilds.schemas.event.ClaimBuildFailed;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimWorkspace;
import io.prebuilds.schemas.event.Claimed;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.DeleteReason;
import io.prebuilds.schemas.event.EnsureMembership;
import io.prebuilds.schemas.event.FailureLimitReached;
import io.prebuilds.schemas.event.InventorySnapshot;
import io.prebuilds.schemas.event.Keys;
import io.prebuilds.schemas.event.Lifecycle;
import io.prebuilds.schemas.event.NoPrebuildAvailable;
import io.prebuilds.schemas.event.NoPrebuildReason;
import io.prebuilds.schemas.event.PlanDriftDetected;
import io.prebuilds.schemas.event.PresetSnapshot;
import io.prebuilds.schemas.event.PresetStatus;
import io.prebuilds.schemas.event.ReinitializeAgent;
import io.prebuilds.schemas.event.Replacement;
import io.prebuilds.schemas.event.ResourceReplacements;
import io.prebuilds.schemas.event.TemplateSnapshot;
import io.prebuilds.schemas.event.UserRef;

/**
 * Translates between the event contract and the decision core's values. Pure and rule-free: every
 * decision was already taken by the core; this only renames and reshapes.
 */
final class EventMapping {

  /** Coder's prebuilds system user: the owner every delete and claim expects. */
  static final String PREBUILDS_SYSTEM_USER = "c42fdf75-3097-471c-8c33-fb52454d81c0";

  private EventMapping() {}

  /**
   * Every preset of every version in the snapshot, active only on the template's active version.
   */
  static List<PresetDefinition> definitions(TemplateSnapshot template) {
    List<TemplateAdmin> admins =
        template.admins().stream().map(a -> new TemplateAdmin(a.userId(), a.username())).toList();
    LifecycleDefaults lifecycle = lifecycle(template.lifecycleDefaults());
    List<PresetDefinition> definitions = new ArrayList<>();
    for (TemplateSnapshot.Version version : template.versions()) {
      boolean active = version.templateVersionId().equals(template.activeVersionId());
      for (TemplateSnapshot.Preset preset : version.presets()) {
        definitions.add(
            new PresetDefinition(
                preset.presetId(),
                preset.presetName(),
                template.templateId(),
                template.templateName(),
                version.templateVersionId(),
                template.organizationId(),
                template.organizationName(),
                active,
                template.deleted(),
                template.deprecated(),
                preset.desiredInstances(),
                preset.schedules().stream()
                    .map(s -> new PrebuildSchedule(s.cron(), s.desiredInstances()))
                    .toList(),
                preset.schedulingTimezone().orElse(""),
                preset.ttlSeconds().isPresent()
                    ? Duration.ofSeconds(preset.ttlSeconds().getAsLong())
                    : Duration.ZERO,
                preset.lastInvalidatedAt().orElse(null),
                lifecycle,
                admins));
      }
    }
    return definitions;
  }

  /** A preset that left its template, or whose template was deleted: it drains. */
  static PresetDefinition withdrawn(PresetDefinition definition, boolean templateDeleted) {
    return new PresetDefinition(
        definition.presetId(),
        definition.presetName(),
        definition.templateId(),
        definition.templateName(),
        definition.templateVersionId(),
        definition.organizationId(),
        definition.organizationName(),
        false,
        templateDeleted || definition.templateDeleted(),
        definition.templateDeprecated(),
        definition.desiredInstances(),
        definition.schedules(),
        definition.schedulingTimezone(),
        definition.ttl(),
        definition.lastInvalidatedAt(),
        definition.lifecycle(),
        definition.templateAdmins());
  }

  static LifecycleDefaults lifecycle(Lifecycle lifecycle) {
    return new LifecycleDefaults(
        lifecycle.autostartSchedule().orElse(null),
        lifecycle.defaultTtlSeconds().isPresent()
            ? Duration.ofSeconds(lifecycle.defaultTtlSeconds().getAsLong())
            : Duration.ZERO);
  }

  static BuildCompleted build(io.prebuilds.schemas.event.BuildCompleted build) {
    return new BuildCompleted(
        build.workspaceId(),
        "",
        build.buildNumber(),
        build.commandId().orElse(null),
        build.claimId().orElse(null),
        build.templateVersionId(),
        BuildTransition.valueOf(build.transition().name()),
        BuildStatus.valueOf(build.status().name()),
        build.failureKind().map(k -> FailureKind.valueOf(k.name())).orElse(null),
        PREBUILDS_SYSTEM_USER.equals(build.initiator()),
        build.completedAt());
  }

  static AgentStatus agentStatus(AgentStatusChanged status) {
    return new AgentStatus(
        status.workspaceId(), status.buildNumber(), status.allAgentsReady(), status.observedAt());
  }

  static ClaimRequest claim(ClaimRequested claim) {
    return new ClaimRequest(
        claim.claimId(), claim.userId(), claim.username(), claim.workspaceName(), claim.deadline());
  }

  static CreatePrebuild create(PresetDefinition preset, Action.CreatePrebuild create, Instant now) {
    return new CreatePrebuild(
        create.commandId(),
        preset.presetId(),
        preset.organizationId(),
        preset.templateId(),
        now,
        create.workspaceId(),
        create.workspaceName(),
        create.templateVersionId());
  }

  static DeletePrebuild delete(PresetDefinition preset, Action.DeletePrebuild delete, Instant now) {
    return new DeletePrebuild(
        delete.commandId(),
        preset.presetId(),
        preset.organizationId(),
        preset.templateId(),
        now,
        delete.workspaceId(),
        delete.templateVersionId(),
        DeleteReason.valueOf(delete.deleteReason().name()),
        PREBUILDS_SYSTEM_USER);
  }

  static CancelPending cancel(PresetDefinition preset, Action.CancelPending cancel, Instant now) {
    return new CancelPending(
        cancel.commandId(),
        preset.presetId(),
        preset.organizationId(),
        preset.templateId(),
        now,
        cancel.createCommandIds());
  }

  static FailureLimitReached failureLimit(
      PresetState state, Action.Notify notify, int failedBuilds, Instant now) {
    PresetDefinition preset = state.definition();
    return new FailureLimitReached(
        notify.notificationId(),
        preset.presetId(),
        preset.templateId(),
        preset.organizationId(),
        notify.recipients().stream().map(a -> new UserRef(a.userId(), a.username())).toList(),
        now,
        preset.presetName(),
        preset.templateName(),
        preset.templateVersionId(),
        PresetStatus.valueOf(notify.status().name()),
        failedBuilds);
  }

  static ClaimWorkspace claimCommand(
      PresetDefinition preset, ClaimDecision.Claimed claimed, Instant now) {
    return new ClaimWorkspace(
        claimed.commandId(),
        preset.presetId(),
        preset.organizationId(),
        preset.templateId(),
        now,
        claimed.claimId(),
        claimed.workspaceId(),
        claimed.userId(),
        claimed.workspaceName(),
        claimed.templateVersionId(),
        lifecycle(claimed.lifecycle()));
  }

  static Claimed claimed(String presetId, ClaimDecision.Claimed claimed) {
    return new Claimed(
        claimed.claimId(),
        presetId,
        claimed.decidedAt(),
        claimed.workspaceId(),
        claimed.userId(),
        lifecycle(claimed.lifecycle()));
  }

  static NoPrebuildAvailable notClaimed(
      String presetId, String claimId, NoPrebuildReason reason, Instant now) {
    return new NoPrebuildAvailable(claimId, presetId, now, reason);
  }

  static NoPrebuildReason reason(ClaimDecision.Reason reason) {
    return switch (reason) {
      case NONE_ELIGIBLE -> NoPrebuildReason.NONE_ELIGIBLE;
      case DEADLINE_PASSED -> NoPrebuildReason.DEADLINE_PASSED;
    };
  }

  static ReinitializeAgent reinitialize(
      PresetDefinition preset,
      String commandId,
      String claimId,
      String workspaceId,
      String userId,
      Instant now) {
    return new ReinitializeAgent(
        commandId,
        preset.presetId(),
        preset.organizationId(),
        preset.templateId(),
        now,
        claimId,
        workspaceId,
        userId);
  }

  /** The provider's workspaces that are still prebuilds (owned by the prebuilds user). */
  static Inventory inventory(InventorySnapshot snapshot) {
    return new Inventory(
        snapshot.observedAt(),
        snapshot.workspaces().stream()
            .filter(InventorySnapshot.Workspace::ownerIsPrebuildsUser)
            .map(w -> workspace(w, snapshot.observedAt()))
            .toList());
  }

  private static Inventory.Workspace workspace(InventorySnapshot.Workspace w, Instant observedAt) {
    BuildTransition transition =
        switch (w.state()) {
          case STOPPED, STOPPING -> BuildTransition.STOP;
          case DELETING -> BuildTransition.DELETE;
          case RUNNING, FAILED, CANCELED, STARTING -> BuildTransition.START;
        };
    BuildStatus status =
        switch (w.state()) {
          case RUNNING, STOPPED -> BuildStatus.SUCCEEDED;
          case FAILED -> BuildStatus.FAILED;
          case CANCELED -> BuildStatus.CANCELED;
          case STARTING, STOPPING, DELETING -> BuildStatus.RUNNING;
        };
    return new Inventory.Workspace(
        w.workspaceId(),
        "",
        w.buildNumber(),
        transition,
        status,
        w.templateVersionId(),
        w.agentsReady(),
        observedAt);
  }

  /**
   * A worker's report that a command failed or was refused; null when there is nothing to undo
   * (successes, and the admission stage's reports, which the reconciler handles on their own).
   */
  static CommandResult commandResult(io.prebuilds.schemas.event.CommandResult result) {
    CommandResult.Outcome outcome =
        switch (result.outcome()) {
          case SUCCEEDED -> null;
          case FAILED -> CommandResult.Outcome.FAILED;
          case REFUSED -> CommandResult.Outcome.NOT_OWNED;
          case DISPATCHED, WITHDRAWN -> null;
        };
    return outcome == null
        ? null
        : new CommandResult(result.commandId(), outcome, result.reason(), result.reportedAt());
  }

  /** One notification per claim build, whatever the number of resources (its id says which). */
  static ResourceReplacements replacements(
      PresetState state, PlanDriftDetected drift, List<Replacement> counted, Instant now) {
    PresetDefinition preset = state.definition();
    String notificationId =
        CommandIds.commandId(
            preset.presetId(),
            Trigger.event("plan-drift", drift.workspaceId() + "#" + drift.buildNumber()),
            "resource-replacements",
            drift.workspaceId());
    return new ResourceReplacements(
        notificationId,
        preset.presetId(),
        preset.templateId(),
        preset.organizationId(),
        preset.templateAdmins().stream().map(a -> new UserRef(a.userId(), a.username())).toList(),
        now,
        preset.presetName(),
        preset.templateName(),
        preset.templateVersionId(),
        drift.workspaceId(),
        drift.buildId(),
        drift.claimId(),
        counted);
  }

  /**
   * The notification of a failed claim build. Its id depends only on the claim and the build
   * number, so it is sent once per claim build. The claiming user comes first, then the template
   * admins who are not that user; a claim stored before usernames were kept is addressed by id.
   */
  static ClaimBuildFailed claimFailed(
      PresetDefinition preset, Prebuild claimed, int buildNumber, String reason, Instant now) {
    Claim claim = claimed.claim();
    String notificationId =
        CommandIds.commandId(
            preset.presetId(),
            Trigger.event("claim-failed", claim.claimId() + "#" + buildNumber),
            "claim-failed",
            claimed.workspaceId());
    List<UserRef> recipients = new ArrayList<>();
    recipients.add(
        new UserRef(
            claim.userId(), claim.username().isEmpty() ? claim.userId() : claim.username()));
    for (TemplateAdmin admin : preset.templateAdmins()) {
      if (!admin.userId().equals(claim.userId())) {
        recipients.add(new UserRef(admin.userId(), admin.username()));
      }
    }
    return new ClaimBuildFailed(
        notificationId,
        preset.presetId(),
        preset.templateId(),
        preset.organizationId(),
        recipients,
        now,
        preset.presetName(),
        preset.templateName(),
        preset.templateVersionId(),
        claim.claimId(),
        claimed.workspaceId(),
        claim.userId(),
        buildNumber,
        reason);
  }

  /** The membership command of an organization; a retry after a failure gets a new id. */
  static EnsureMembership membership(String organizationId, int generation, Instant now) {
    String key = Keys.organization(organizationId);
    return new EnsureMembership(
        CommandIds.commandId(
            key, Trigger.event("membership", key), "ensure-membership", "g" + generation),
        organizationId,
        now);
  }

  /**
   * The read-model record: the state after the decision, with the decision's reasons. The
   * diagnostics describe the pool the decision saw; the creates and deletes it issued are in flight
   * now, so they are counted as starting and deleting.
   */
  static PresetSnapshot snapshot(PresetState state, Decision decision, Instant now) {
    PresetDefinition preset = state.definition();
    Diagnostics diagnostics = decision.diagnostics();
    int creates = decision.actionsOf(Action.CreatePrebuild.class).size();
    int deletes = decision.actionsOf(Action.DeletePrebuild.class).size();
    Instant nextDueAt = decision.nextDueAt();
    return new PresetSnapshot(
        preset.presetId(),
        preset.presetName(),
        preset.templateId(),
        preset.templateName(),
        preset.templateVersionId(),
        preset.organizationId(),
        preset.organizationName(),
        preset.isActive(),
        PresetStatus.valueOf(state.status().name()),
        false,
        state.paused(),
        diagnostics.desired(),
        diagnostics.actual(),
        diagnostics.eligible(),
        diagnostics.starting() + creates,
        diagnostics.stopping(),
        diagnostics.deleting() + deletes,
        diagnostics.expired(),
        diagnostics.extraneous(),
        diagnostics.timedOut(),
        Optional.ofNullable(diagnostics.backoffUntil()),
        Optional.ofNullable(nextDueAt),
        new PresetSnapshot.Counters(
            state.counters().createdTotal(),
            state.counters().failedTotal(),
            state.counters().claimedTotal(),
            state.counters().resourceReplacementsTotal()),
        diagnostics.explanation(),
        now);
  }

  private static Lifecycle lifecycle(ClaimDecision.ClaimedLifecycle lifecycle) {
    return new Lifecycle(
        lifecycle.autostopTtl().isZero()
            ? OptionalLong.empty()
            : OptionalLong.of(lifecycle.autostopTtl().toSeconds()),
        Optional.ofNullable(lifecycle.autostartSchedule()),
        OptionalInt.empty(),
        OptionalLong.empty());
  }
}
