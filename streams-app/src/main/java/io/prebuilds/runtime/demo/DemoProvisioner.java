package io.prebuilds.runtime.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.AgentStatusChanged;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.CancelPending;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimWorkspace;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CommandOutcome;
import io.prebuilds.schemas.event.CommandResult;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.EnsureMembership;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.FailureKind;
import io.prebuilds.schemas.event.InventorySnapshot;
import io.prebuilds.schemas.event.PlanDriftDetected;
import io.prebuilds.schemas.event.ReinitializeAgent;
import io.prebuilds.schemas.event.Replacement;
import io.prebuilds.schemas.event.TemplateSnapshot;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.schemas.event.WorkspaceState;

/**
 * A pretend provisioner and control plane that follows the worker contract: it dedupes commands by
 * id, answers creates with a build (and agents ready) a few seconds later, deletes with a delete
 * build, claims with a claim build initiated by the user (build number + 1), refuses to delete or
 * claim a workspace the prebuilds user no longer owns, and acknowledges agent reinitialisation and
 * membership. One preset always fails; one claim build's plan drifts. It also publishes the demo
 * templates, claims and inventory snapshots.
 *
 * <p>Pure and single-threaded: time is a parameter, randomness is seeded, and every answer is an
 * {@link Outgoing} for the caller to publish when due. State changes take effect at once but are
 * dated when their event is due, so inventory snapshots never get ahead of the build events.
 */
public final class DemoProvisioner {
  /** CloudEvents source of what the provisioner reports. */
  public static final String PROVISIONER = "/demo/provisioner";

  /** CloudEvents source of templates and claims. */
  public static final String CONTROL_PLANE = "/demo/control-plane";

  private static final Duration AGENT_DELAY = Duration.ofSeconds(1);
  private static final Duration DELETE_TIME = Duration.ofSeconds(1);
  private static final Duration CLAIM_BUILD_TIME = Duration.ofSeconds(2);
  private static final Duration ANSWER_DELAY = Duration.ofMillis(200);
  private static final Duration CLAIM_DEADLINE = Duration.ofSeconds(30);
  private static final int REMEMBERED_COMMANDS = 100_000;

  private final DemoSettings settings;
  private final Random random;
  private final String run;
  private final Set<String> handled = new LinkedHashSet<>();
  private final Map<String, Workspace> workspaces = new LinkedHashMap<>();
  private int claimBuilds;
  private int claims;

  /** One workspace the provisioner has, with when its last event is (or was) published. */
  private record Workspace(
      String workspaceId,
      String presetId,
      String templateVersionId,
      int buildNumber,
      WorkspaceState state,
      boolean agentsReady,
      String owner,
      Instant changedAt) {

    Workspace changed(
        int build, WorkspaceState newState, boolean ready, String newOwner, Instant at) {
      return new Workspace(
          workspaceId, presetId, templateVersionId, build, newState, ready, newOwner, at);
    }
  }

  /**
   * @param run distinguishes this run's claim ids from an earlier run's (claim ids are answered
   *     once)
   */
  public DemoProvisioner(DemoSettings settings, String run) {
    this.settings = settings;
    this.random = new Random(settings.seed());
    this.run = run;
  }

  /** The demo templates, to publish once at start (a compacted topic keeps the latest). */
  public List<Outgoing> templates(Instant now) {
    List<Outgoing> out = new ArrayList<>();
    for (TemplateSnapshot template : DemoTemplates.snapshots(now)) {
      out.add(
          event(
              now,
              Topics.TEMPLATES,
              CONTROL_PLANE,
              "template/" + template.templateId() + "/" + template.activeVersionId(),
              template));
    }
    return out;
  }

  /** The next user's claim, alternating between the claimable presets. */
  public Outgoing claim(Instant now) {
    claims++;
    String presetId = DemoTemplates.CLAIMABLE.get((claims - 1) % DemoTemplates.CLAIMABLE.size());
    String claimId = "demo-claim-" + run + "-" + claims;
    int user = (claims - 1) % 5 + 1;
    var request =
        new ClaimRequested(
            claimId,
            presetId,
            DemoTemplates.ORGANIZATION_ID,
            "demo-user-" + user,
            "user" + user,
            "user" + user + "-workspace-" + claims,
            now,
            now.plus(CLAIM_DEADLINE));
    return event(now, Topics.CLAIMS, CONTROL_PLANE, "claim/" + claimId, request);
  }

  /**
   * One snapshot per demo preset of the workspaces the prebuilds user owns, as of {@code now -
   * settle}: workspaces that changed after that are left out (their events may still be in flight),
   * and the snapshot is dated then, so the reconciler does not forget them either.
   */
  public List<Outgoing> inventory(Instant now) {
    Instant asOf = now.minus(settings.settle());
    List<Outgoing> out = new ArrayList<>();
    for (String presetId : DemoTemplates.PRESETS) {
      List<InventorySnapshot.Workspace> observed =
          workspaces.values().stream()
              .filter(w -> w.presetId().equals(presetId) && !w.changedAt().isAfter(asOf))
              .map(
                  w ->
                      new InventorySnapshot.Workspace(
                          w.workspaceId(),
                          w.buildNumber(),
                          w.templateVersionId(),
                          w.state(),
                          w.agentsReady(),
                          w.owner().equals(DeletePrebuild.PREBUILDS_SYSTEM_USER_ID)))
              .toList();
      out.add(
          event(
              now,
              Topics.INVENTORY,
              PROVISIONER,
              "inventory/" + presetId + "/" + asOf.toEpochMilli(),
              new InventorySnapshot(presetId, "demo", asOf, observed)));
    }
    return out;
  }

  /** Answers a command; a command id seen before is ignored (commands are at least once). */
  public List<Outgoing> onCommand(Command command, Instant now) {
    if (!handled.add(command.commandId())) {
      return List.of();
    }
    if (handled.size() > REMEMBERED_COMMANDS) {
      handled.remove(handled.iterator().next());
    }
    return switch (command.kind()) {
      case CREATE_PREBUILD -> create((CreatePrebuild) command, now);
      case DELETE_PREBUILD -> delete((DeletePrebuild) command, now);
      case CLAIM_WORKSPACE -> claimWorkspace((ClaimWorkspace) command, now);
      case REINITIALIZE_AGENT -> reinitialize((ReinitializeAgent) command, now);
      case ENSURE_MEMBERSHIP -> membership((EnsureMembership) command, now);
      case CANCEL_PENDING -> cancel((CancelPending) command, now);
    };
  }

  private List<Outgoing> create(CreatePrebuild create, Instant now) {
    if (workspaces.containsKey(create.workspaceId())) {
      return List.of();
    }
    boolean fails =
        create.presetId().equals(DemoTemplates.BROKEN_PRESET)
            || random.nextDouble() < settings.failureRate();
    Instant done = now.plus(settings.buildTime()).plusMillis(random.nextInt(1000));
    List<Outgoing> out = new ArrayList<>();
    out.add(
        build(
            done,
            create.presetId(),
            create.workspaceId(),
            1,
            create.commandId(),
            Optional.empty(),
            create.templateId(),
            create.templateVersionId(),
            create.organizationId(),
            Transition.START,
            fails ? BuildStatus.FAILED : BuildStatus.SUCCEEDED,
            fails ? Optional.of(FailureKind.TRANSIENT) : Optional.empty(),
            DeletePrebuild.PREBUILDS_SYSTEM_USER_ID));
    Instant changed = done;
    if (!fails) {
      changed = done.plus(AGENT_DELAY);
      out.add(
          event(
              changed,
              Topics.BUILDS,
              PROVISIONER,
              "agents/" + create.workspaceId() + "/1",
              new AgentStatusChanged(create.presetId(), create.workspaceId(), 1, true, changed)));
    }
    workspaces.put(
        create.workspaceId(),
        new Workspace(
            create.workspaceId(),
            create.presetId(),
            create.templateVersionId(),
            1,
            fails ? WorkspaceState.FAILED : WorkspaceState.RUNNING,
            !fails,
            DeletePrebuild.PREBUILDS_SYSTEM_USER_ID,
            changed));
    return out;
  }

  private List<Outgoing> delete(DeletePrebuild delete, Instant now) {
    Workspace workspace = workspaces.get(delete.workspaceId());
    if (workspace == null) {
      return List.of(
          result(
              delete,
              Optional.of(delete.presetId()),
              Optional.of(delete.workspaceId()),
              CommandOutcome.SUCCEEDED,
              "workspace already gone",
              now));
    }
    if (!workspace.owner().equals(delete.expectedOwner())) {
      return List.of(
          result(
              delete,
              Optional.of(delete.presetId()),
              Optional.of(delete.workspaceId()),
              CommandOutcome.REFUSED,
              "workspace owned by another user",
              now));
    }
    workspaces.remove(delete.workspaceId());
    return List.of(
        build(
            now.plus(DELETE_TIME),
            delete.presetId(),
            delete.workspaceId(),
            workspace.buildNumber() + 1,
            delete.commandId(),
            Optional.empty(),
            delete.templateId(),
            workspace.templateVersionId(),
            delete.organizationId(),
            Transition.DELETE,
            BuildStatus.SUCCEEDED,
            Optional.empty(),
            DeletePrebuild.PREBUILDS_SYSTEM_USER_ID));
  }

  private List<Outgoing> claimWorkspace(ClaimWorkspace claim, Instant now) {
    Workspace workspace = workspaces.get(claim.workspaceId());
    if (workspace == null
        || !workspace.owner().equals(DeletePrebuild.PREBUILDS_SYSTEM_USER_ID)
        || workspace.state() != WorkspaceState.RUNNING) {
      return List.of(
          result(
              claim,
              Optional.of(claim.presetId()),
              Optional.of(claim.workspaceId()),
              CommandOutcome.REFUSED,
              "workspace is not an unclaimed running prebuild",
              now));
    }
    claimBuilds++;
    int buildNumber = workspace.buildNumber() + 1;
    Instant done = now.plus(CLAIM_BUILD_TIME);
    workspaces.put(
        claim.workspaceId(),
        workspace.changed(buildNumber, WorkspaceState.RUNNING, true, claim.initiator(), done));
    List<Outgoing> out = new ArrayList<>();
    out.add(
        build(
            done,
            claim.presetId(),
            claim.workspaceId(),
            buildNumber,
            claim.commandId(),
            Optional.of(claim.claimId()),
            claim.templateId(),
            claim.templateVersionId(),
            claim.organizationId(),
            Transition.START,
            BuildStatus.SUCCEEDED,
            Optional.empty(),
            claim.initiator()));
    if (claimBuilds == settings.driftingClaim()) {
      out.add(
          event(
              done,
              Topics.PLAN_DRIFT,
              PROVISIONER,
              "drift/" + claim.workspaceId() + "/" + buildNumber,
              new PlanDriftDetected(
                  claim.presetId(),
                  claim.workspaceId(),
                  buildId(claim.workspaceId(), buildNumber),
                  buildNumber,
                  Optional.of(claim.claimId()),
                  List.of(
                      new Replacement("docker_container.workspace[0]", List.of("env", "name")),
                      new Replacement("docker_volume.home", List.of("name"))),
                  done)));
    }
    return out;
  }

  private List<Outgoing> reinitialize(ReinitializeAgent reinit, Instant now) {
    return List.of(
        result(
            reinit,
            Optional.of(reinit.presetId()),
            Optional.of(reinit.workspaceId()),
            CommandOutcome.SUCCEEDED,
            "agent reinitialized for " + reinit.userId(),
            now));
  }

  private List<Outgoing> membership(EnsureMembership membership, Instant now) {
    return List.of(
        result(
            membership,
            Optional.empty(),
            Optional.empty(),
            CommandOutcome.SUCCEEDED,
            "prebuilds user is a member",
            now));
  }

  /** Demo builds are short; by the time a cancel arrives the build has run, so it is a no-op. */
  private List<Outgoing> cancel(CancelPending cancel, Instant now) {
    return List.of(
        result(
            cancel,
            Optional.of(cancel.presetId()),
            Optional.empty(),
            CommandOutcome.SUCCEEDED,
            "nothing pending to cancel",
            now));
  }

  private Outgoing result(
      Command command,
      Optional<String> presetId,
      Optional<String> workspaceId,
      CommandOutcome outcome,
      String reason,
      Instant now) {
    Instant at = now.plus(ANSWER_DELAY);
    return event(
        at,
        Topics.COMMAND_RESULTS,
        PROVISIONER,
        "result/" + command.commandId(),
        new CommandResult(
            command.commandId(),
            command.kind(),
            presetId,
            Optional.of(command.organizationId()),
            workspaceId,
            outcome,
            reason,
            at));
  }

  private Outgoing build(
      Instant at,
      String presetId,
      String workspaceId,
      int buildNumber,
      String commandId,
      Optional<String> claimId,
      String templateId,
      String templateVersionId,
      String organizationId,
      Transition transition,
      BuildStatus status,
      Optional<FailureKind> failureKind,
      String initiator) {
    String buildId = buildId(workspaceId, buildNumber);
    return event(
        at,
        Topics.BUILDS,
        PROVISIONER,
        "build/" + buildId,
        new BuildCompleted(
            presetId,
            workspaceId,
            buildId,
            buildNumber,
            Optional.of(commandId),
            claimId,
            templateId,
            templateVersionId,
            organizationId,
            transition,
            status,
            failureKind,
            initiator,
            at));
  }

  private static String buildId(String workspaceId, int buildNumber) {
    return workspaceId + "-b" + buildNumber;
  }

  private static <T extends Event> Outgoing event(
      Instant at, TopicSpec<?> topic, String source, String id, T data) {
    return new Outgoing(at, topic, Envelope.of(source, id, at, data));
  }
}
