package io.prebuilds.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.prebuilds.reconcile.BuildStatus;
import io.prebuilds.reconcile.BuildTransition;
import io.prebuilds.reconcile.CreateAttempt;
import io.prebuilds.reconcile.Decision;
import io.prebuilds.reconcile.LifecycleDefaults;
import io.prebuilds.reconcile.Prebuild;
import io.prebuilds.reconcile.PrebuildSchedule;
import io.prebuilds.reconcile.PresetCounters;
import io.prebuilds.reconcile.PresetDefinition;
import io.prebuilds.reconcile.PresetState;
import io.prebuilds.reconcile.PresetStatus;
import io.prebuilds.reconcile.ReconcileConfig;
import io.prebuilds.reconcile.Reconciler;
import io.prebuilds.reconcile.TemplateAdmin;
import io.prebuilds.reconcile.Trigger;

/**
 * A deterministic population of reconciled, idle presets: what the preset state store holds in a
 * large steady deployment, where every pool is full and nothing is in flight.
 *
 * <p>Preset {@code i} belongs to template {@code i / 10} of one of 50 organizations, wants 1 to 3
 * prebuilds (one preset in five through a weekday schedule in Europe/Berlin, which is in effect at
 * {@link #NOW}), every other preset has a 24 h TTL, and all its prebuilds are running with ready
 * agents, created two hours before {@link #NOW}. Ids are name-based UUIDs, so consecutive indexes
 * are scattered over the store's key order as real preset ids are.
 */
public final class BenchPresets {

  /** The wall clock at the start of a benchmark: a Monday, 10:00 in Berlin. */
  public static final Instant NOW = Instant.parse("2025-06-02T08:00:00Z");

  static final int PRESETS_PER_TEMPLATE = 10;
  private static final int ORGANIZATIONS = 50;
  private static final String SCHEDULE = "* 9-18 * * 1-5";
  private static final String TIMEZONE = "Europe/Berlin";

  private BenchPresets() {}

  static String presetId(int index) {
    return uuid("preset-" + index);
  }

  static String templateId(int index) {
    return uuid("template-" + index / PRESETS_PER_TEMPLATE);
  }

  static String organizationId(int index) {
    return uuid("organization-" + (index / PRESETS_PER_TEMPLATE) % ORGANIZATIONS);
  }

  static String versionId(int index) {
    return uuid("version-" + index / PRESETS_PER_TEMPLATE);
  }

  /** The pool size in effect at {@link #NOW}. */
  static int desired(int index) {
    return 1 + index % 3;
  }

  static boolean scheduled(int index) {
    return index % 5 == 0;
  }

  static Duration ttl(int index) {
    return index % 2 == 0 ? Duration.ofHours(24) : Duration.ZERO;
  }

  /** The preset's definition as the template fan-out would have stored it. */
  static PresetDefinition definition(int index) {
    int template = index / PRESETS_PER_TEMPLATE;
    int desired = desired(index);
    return new PresetDefinition(
        presetId(index),
        "preset-" + index % PRESETS_PER_TEMPLATE,
        templateId(index),
        "template-" + template,
        versionId(index),
        organizationId(index),
        "organization-" + template % ORGANIZATIONS,
        true,
        false,
        false,
        scheduled(index) ? desired - 1 : desired,
        scheduled(index) ? List.of(new PrebuildSchedule(SCHEDULE, desired)) : List.of(),
        scheduled(index) ? TIMEZONE : "",
        ttl(index),
        null,
        new LifecycleDefaults("30 8 * * 1-5", Duration.ofHours(8)),
        List.of(
            new TemplateAdmin(uuid("admin-" + template), "admin-" + template),
            new TemplateAdmin(uuid("admin-platform"), "platform-admin")));
  }

  /** A full pool of running, ready prebuilds and nothing in flight. */
  static PresetState state(int index) {
    PresetDefinition definition = definition(index);
    List<Prebuild> prebuilds = new ArrayList<>();
    List<CreateAttempt> attempts = new ArrayList<>();
    for (int k = 0; k < desired(index); k++) {
      String workspaceId = uuid("workspace-" + index + "-" + k);
      Instant createdAt = NOW.minus(Duration.ofHours(2)).plusSeconds(k * 60L);
      Instant builtAt = createdAt.plusSeconds(90);
      prebuilds.add(
          new Prebuild(
              workspaceId,
              "prebuild-" + workspaceId.substring(0, 8),
              1,
              createdAt,
              BuildTransition.START,
              BuildStatus.SUCCEEDED,
              definition.templateVersionId(),
              true,
              null,
              builtAt.plusSeconds(30),
              builtAt.plusSeconds(30)));
      attempts.add(new CreateAttempt(workspaceId, builtAt, CreateAttempt.Result.SUCCEEDED));
    }
    long claimed = index % 7;
    return new PresetState(
        definition,
        prebuilds,
        List.of(),
        attempts,
        PresetStatus.NORMAL,
        false,
        false,
        null,
        new PresetCounters(desired(index) + claimed, 0, claimed, 0, 0),
        null,
        List.of());
  }

  /**
   * What the store holds for the preset, due at {@code dueAt}, healthy. No preset-state record is
   * recorded as published, so the first visit publishes one (a little more work than a steady-state
   * visit).
   */
  static StoredPreset stored(int index, Instant dueAt) {
    return new StoredPreset(state(index), dueAt, false, null, List.of(), null, null, null);
  }

  /**
   * What the store holds for the preset in the steady state of a running service: as {@link
   * #stored}, due in an hour, with the preset-state record it last published (about 1.8 KB in the
   * state format).
   */
  public static StoredPreset published(int index) {
    PresetState state = state(index);
    Decision decision =
        Reconciler.decide(state, Trigger.timer(NOW), NOW, ReconcileConfig.defaults());
    return new StoredPreset(
        state,
        NOW.plus(Duration.ofHours(1)),
        true,
        EventMapping.snapshot(state, decision, NOW),
        List.of(),
        null,
        null,
        null);
  }

  private static String uuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
