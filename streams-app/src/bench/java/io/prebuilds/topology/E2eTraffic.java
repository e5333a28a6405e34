package io.prebuilds.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.prebuilds.reconcile.CommandIds;
import io.prebuilds.reconcile.PresetDefinition;
import io.prebuilds.reconcile.Trigger;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.event.AgentStatusChanged;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildEvent;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.FailureKind;
import io.prebuilds.schemas.event.Lifecycle;
import io.prebuilds.schemas.event.TemplateSnapshot;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.schemas.event.UserRef;

/**
 * Realistic traffic for the end-to-end benchmarks: template snapshots that define the presets of
 * {@link BenchPresets} (without schedules, so a pool's size never depends on the hour the benchmark
 * runs), and each workspace's history of build events as a provisioner reports it.
 *
 * <p>A preset's first decision (triggered by its definition) creates its pool; the ids of those
 * creates are deterministic ({@link CommandIds}), so the pre-produced history of a workspace starts
 * by answering its create command, exactly as a worker would. After that every workspace goes
 * through the same cycle of ten events: mostly successful start builds each followed by its agents
 * becoming ready, one stop and one failed start, with increasing build numbers.
 */
final class E2eTraffic {

  static final String TEMPLATE_SOURCE = "/bench/templates";
  static final String PROVISIONER_SOURCE = "/bench/provisioner";

  /** Events of one workspace's cycle after its first build and agent report. */
  static final int CYCLE = 10;

  private E2eTraffic() {}

  /** One workspace of a pool, with the create command that made it. */
  record Workspace(
      String presetId,
      String templateId,
      String templateVersionId,
      String organizationId,
      String workspaceId,
      String commandId) {

    Workspace(PresetDefinition preset, String workspaceId, String commandId) {
      this(
          preset.presetId(),
          preset.templateId(),
          preset.templateVersionId(),
          preset.organizationId(),
          workspaceId,
          commandId);
    }
  }

  /** The template snapshot of template {@code template}, with its presets in version {@code v}. */
  static Envelope<TemplateSnapshot> template(int template, int version, int presetsPerTemplate) {
    int first = template * presetsPerTemplate;
    PresetDefinition any = definition(first, version);
    List<TemplateSnapshot.Version> versions = new ArrayList<>();
    for (int v = 1; v <= version; v++) {
      List<TemplateSnapshot.Preset> presets = new ArrayList<>();
      for (int i = first; i < first + presetsPerTemplate; i++) {
        PresetDefinition definition = definition(i, v);
        presets.add(
            new TemplateSnapshot.Preset(
                definition.presetId(),
                definition.presetName(),
                definition.desiredInstances(),
                Optional.empty(),
                List.of(),
                definition.ttl().isZero()
                    ? OptionalLong.empty()
                    : OptionalLong.of(definition.ttl().toSeconds()),
                Optional.empty()));
      }
      versions.add(new TemplateSnapshot.Version(versionId(template, v), "v" + v, presets));
    }
    TemplateSnapshot snapshot =
        new TemplateSnapshot(
            any.templateId(),
            any.templateName(),
            any.organizationId(),
            any.organizationName(),
            any.templateAdmins().stream().map(a -> new UserRef(a.userId(), a.username())).toList(),
            false,
            false,
            versionId(template, version),
            new Lifecycle(
                OptionalLong.of(28_800),
                Optional.of("30 8 * * 1-5"),
                OptionalInt.empty(),
                OptionalLong.empty()),
            versions,
            Instant.now());
    return Envelope.of(
        TEMPLATE_SOURCE, "template-" + template + "-v" + version, snapshot.snapshotAt(), snapshot);
  }

  /**
   * Preset {@code index} as defined in version {@code version} of its template: version 1 uses
   * {@link BenchPresets}' ids, a later version has presets of its own (a new template version
   * defines new presets; the old version's presets drain).
   */
  static PresetDefinition definition(int index, int version) {
    PresetDefinition base = BenchPresets.definition(index);
    String presetId =
        version == 1 ? base.presetId() : BenchPresets.presetId(index) + "-v" + version;
    return new PresetDefinition(
        presetId,
        base.presetName(),
        base.templateId(),
        base.templateName(),
        versionId(index / BenchPresets.PRESETS_PER_TEMPLATE, version),
        base.organizationId(),
        base.organizationName(),
        true,
        false,
        false,
        BenchPresets.desired(index),
        List.of(),
        "",
        base.ttl(),
        null,
        base.lifecycle(),
        base.templateAdmins());
  }

  /**
   * A claim of preset {@code preset} by a user of its own, requested {@code now} with five minutes
   * to be answered, as the control plane would send it.
   */
  static Envelope<ClaimRequested> claim(
      PresetDefinition preset, String claimId, String source, Instant now) {
    String user = "user-" + claimId;
    ClaimRequested claim =
        new ClaimRequested(
            claimId,
            preset.presetId(),
            preset.organizationId(),
            user,
            user,
            user + "-workspace",
            now,
            now.plus(Duration.ofMinutes(5)));
    return Envelope.of(source, "claim/" + claimId, now, claim);
  }

  static String versionId(int template, int version) {
    return version == 1
        ? BenchPresets.versionId(template * BenchPresets.PRESETS_PER_TEMPLATE)
        : BenchPresets.versionId(template * BenchPresets.PRESETS_PER_TEMPLATE) + "-v" + version;
  }

  /**
   * The pool the first decision of a new preset creates: one create per desired instance, with the
   * ids the reconciler derives from the definition's template event.
   */
  static List<Workspace> initialPool(PresetDefinition preset, Envelope<TemplateSnapshot> cause) {
    Trigger trigger = Trigger.event(cause.source(), cause.id());
    List<Workspace> pool = new ArrayList<>();
    for (int slot = 0; slot < preset.desiredInstances(); slot++) {
      String commandId =
          CommandIds.commandId(preset.presetId(), trigger, "create", Integer.toString(slot));
      pool.add(new Workspace(preset, CommandIds.workspaceId(commandId), commandId));
    }
    return pool;
  }

  /**
   * Event {@code step} of a workspace's history: 0 answers its create (build 1 succeeded), 1 its
   * agents are ready, then the cycle of {@link #CYCLE}: start, ready, start, ready, stop, failed
   * start, start, ready, start, ready.
   */
  static BuildEvent history(Workspace workspace, int step, Instant at) {
    if (step == 0) {
      return build(workspace, 1, Optional.of(workspace.commandId()), Transition.START, false, at);
    }
    if (step == 1) {
      return ready(workspace, 1, at);
    }
    int slot = (step - 2) % CYCLE;
    int buildNumber = 2 + (step - 2) / CYCLE * 6 + BUILD_OFFSET[slot];
    return switch (slot) {
      case 1, 3, 7, 9 -> ready(workspace, buildNumber, at);
      case 4 -> build(workspace, buildNumber, Optional.empty(), Transition.STOP, false, at);
      case 5 -> build(workspace, buildNumber, Optional.empty(), Transition.START, true, at);
      default -> build(workspace, buildNumber, Optional.empty(), Transition.START, false, at);
    };
  }

  /** Build number of each slot of the cycle, relative to the cycle's first build. */
  private static final int[] BUILD_OFFSET = {0, 0, 1, 1, 2, 3, 4, 4, 5, 5};

  static BuildCompleted build(
      Workspace workspace,
      int buildNumber,
      Optional<String> commandId,
      Transition transition,
      boolean failed,
      Instant at) {
    return build(workspace, buildNumber, commandId, Optional.empty(), transition, failed, at);
  }

  /** A completed build; {@code claimId} is set on the build that hands a prebuild to a user. */
  static BuildCompleted build(
      Workspace workspace,
      int buildNumber,
      Optional<String> commandId,
      Optional<String> claimId,
      Transition transition,
      boolean failed,
      Instant at) {
    return new BuildCompleted(
        workspace.presetId(),
        workspace.workspaceId(),
        workspace.workspaceId() + "-b" + buildNumber,
        buildNumber,
        commandId,
        claimId,
        workspace.templateId(),
        workspace.templateVersionId(),
        workspace.organizationId(),
        transition,
        failed ? BuildStatus.FAILED : BuildStatus.SUCCEEDED,
        failed ? Optional.of(FailureKind.TRANSIENT) : Optional.empty(),
        EventMapping.PREBUILDS_SYSTEM_USER,
        at);
  }

  static AgentStatusChanged ready(Workspace workspace, int buildNumber, Instant at) {
    return new AgentStatusChanged(
        workspace.presetId(), workspace.workspaceId(), buildNumber, true, at);
  }

  /** A time {@code seconds} before {@code now}: history happened in the recent past. */
  static Instant before(Instant now, long seconds) {
    return now.minus(Duration.ofSeconds(seconds));
  }
}
