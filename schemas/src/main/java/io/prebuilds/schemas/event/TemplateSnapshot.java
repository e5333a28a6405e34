package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The full current state of one template, published whenever anything in it changes (compacted by
 * template id, so the topic always holds the latest snapshot). A preset missing from the active
 * version is inactive: its prebuilds are deleted as outdated.
 *
 * @param admins users notified about the template's prebuilds (failure limit, replacements)
 * @param deprecated a deprecated template keeps no prebuilds
 * @param deleted a deleted template keeps no prebuilds
 * @param activeVersionId the version whose presets keep prebuilds
 * @param versions every version that still has presets (the active one and older ones)
 * @param snapshotAt when the provisioner read this state
 */
public record TemplateSnapshot(
    String templateId,
    String templateName,
    String organizationId,
    String organizationName,
    List<UserRef> admins,
    boolean deprecated,
    boolean deleted,
    String activeVersionId,
    Lifecycle lifecycleDefaults,
    List<Version> versions,
    Instant snapshotAt)
    implements TemplateEvent {

  public TemplateSnapshot {
    admins = List.copyOf(admins);
    versions = List.copyOf(versions);
  }

  @Override
  public String key() {
    return templateId;
  }

  /** One template version and the presets defined in it. */
  public record Version(String templateVersionId, String versionName, List<Preset> presets) {
    public Version {
      presets = List.copyOf(presets);
    }
  }

  /**
   * A preset of a template version.
   *
   * @param desiredInstances prebuilds to keep when no schedule matches
   * @param schedulingTimezone IANA zone the schedules are read in (UTC when absent)
   * @param schedules time ranges with their own instance counts; the first match wins
   * @param ttlSeconds a prebuild older than this is expired and replaced
   * @param lastInvalidatedAt prebuilds created before this are expired (operator invalidation)
   */
  public record Preset(
      String presetId,
      String presetName,
      int desiredInstances,
      Optional<String> schedulingTimezone,
      List<Schedule> schedules,
      OptionalLong ttlSeconds,
      Optional<Instant> lastInvalidatedAt) {
    public Preset {
      if (desiredInstances < 0) {
        throw new IllegalArgumentException("desiredInstances must be >= 0: " + desiredInstances);
      }
      schedules = List.copyOf(schedules);
    }
  }

  /**
   * A 5-field cron read as a time range (minute, day-of-month and month are {@code *}), e.g. {@code
   * * 9-18 * * 1-5} is weekdays 09:00:00 to 18:59:59.
   */
  public record Schedule(String cron, int desiredInstances) {
    public Schedule {
      if (desiredInstances < 0) {
        throw new IllegalArgumentException("desiredInstances must be >= 0: " + desiredInstances);
      }
    }
  }
}
