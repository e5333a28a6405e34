package io.prebuilds.schemas.event;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Workspace lifecycle settings. Templates carry them as defaults; a claimed workspace receives them
 * when it is handed to its user (a prebuild itself has none, so it never autostops while pooled).
 *
 * @param defaultTtlSeconds how long a started workspace runs before autostop
 * @param autostartSchedule a 5-field cron (with optional {@code CRON_TZ=} prefix) for autostart
 * @param autostopRequirementDays days between required autostops
 * @param dormancyThresholdSeconds idle time after which the workspace becomes dormant
 */
public record Lifecycle(
    OptionalLong defaultTtlSeconds,
    Optional<String> autostartSchedule,
    OptionalInt autostopRequirementDays,
    OptionalLong dormancyThresholdSeconds) {

  /** No lifecycle settings at all. */
  public static Lifecycle none() {
    return new Lifecycle(
        OptionalLong.empty(), Optional.empty(), OptionalInt.empty(), OptionalLong.empty());
  }
}
