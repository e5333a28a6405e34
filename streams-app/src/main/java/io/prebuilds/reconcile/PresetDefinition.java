package io.prebuilds.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the template says about one preset: which pool to keep, how big, for how long a prebuild
 * stays fresh, and who to tell when it goes wrong. Built by the topology from the template
 * snapshot; the core only reads it.
 *
 * @param activeVersion whether the preset's template version is the template's active version
 * @param desiredInstances the default pool size, used when no schedule matches
 * @param schedules autoscaling schedules, first match wins
 * @param schedulingTimezone IANA zone the schedules are read in; blank if none
 * @param ttl prebuilds older than this are replaced; {@link Duration#ZERO} disables expiry by age
 * @param lastInvalidatedAt prebuilds created before this instant are replaced; null if never
 */
public record PresetDefinition(
    String presetId,
    String presetName,
    String templateId,
    String templateName,
    String templateVersionId,
    String organizationId,
    String organizationName,
    boolean activeVersion,
    boolean templateDeleted,
    boolean templateDeprecated,
    int desiredInstances,
    List<PrebuildSchedule> schedules,
    String schedulingTimezone,
    Duration ttl,
    Instant lastInvalidatedAt,
    LifecycleDefaults lifecycle,
    List<TemplateAdmin> templateAdmins) {

  public PresetDefinition {
    Objects.requireNonNull(presetId, "presetId");
    Objects.requireNonNull(templateId, "templateId");
    Objects.requireNonNull(templateVersionId, "templateVersionId");
    Objects.requireNonNull(organizationId, "organizationId");
    presetName = Objects.requireNonNullElse(presetName, "");
    templateName = Objects.requireNonNullElse(templateName, "");
    organizationName = Objects.requireNonNullElse(organizationName, "");
    if (desiredInstances < 0) {
      throw new IllegalArgumentException(
          "preset " + presetId + ": desiredInstances must be >= 0, got " + desiredInstances);
    }
    schedules = schedules == null ? List.of() : List.copyOf(schedules);
    schedulingTimezone = Objects.requireNonNullElse(schedulingTimezone, "");
    ttl = ttl == null ? Duration.ZERO : ttl;
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("preset " + presetId + ": ttl must be >= 0, got " + ttl);
    }
    lifecycle = lifecycle == null ? LifecycleDefaults.NONE : lifecycle;
    templateAdmins = templateAdmins == null ? List.of() : List.copyOf(templateAdmins);
  }

  /**
   * A preset is active when it belongs to the template's active version and the template is neither
   * deleted nor deprecated; only active presets keep a pool.
   */
  public boolean isActive() {
    return activeVersion && !templateDeleted && !templateDeprecated;
  }
}
