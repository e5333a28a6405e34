package io.prebuilds.reconcile;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * How many prebuilds a preset wants at an instant, and why.
 *
 * @param count the desired pool size
 * @param source where the count came from, in plain words (e.g. {@code schedule `* 9-18 * * 1-5`
 *     Europe/Berlin})
 * @param problems why the schedules were ignored, if they were (bad timezone, invalid or
 *     overlapping schedules); empty otherwise
 * @param nextChangeAt the next instant the matching schedule changes, or null if it never does
 */
public record DesiredInstances(
    int count, String source, List<String> problems, Instant nextChangeAt) {

  public DesiredInstances {
    problems = List.copyOf(problems);
  }

  /**
   * Computes the desired count of {@code preset} at {@code now}: 0 when the preset is inactive,
   * else the first schedule whose range contains {@code now} in the preset's timezone, else the
   * default. A missing or unknown timezone, an invalid schedule or two overlapping schedules make
   * every schedule ignored (the default applies), as in Coder, and are reported in {@code
   * problems}.
   */
  public static DesiredInstances at(PresetDefinition preset, Instant now) {
    if (!preset.isActive()) {
      return new DesiredInstances(0, inactiveReason(preset), List.of(), null);
    }
    int fallback = preset.desiredInstances();
    if (preset.schedules().isEmpty()) {
      return new DesiredInstances(fallback, "default", List.of(), null);
    }
    CompiledSchedules compiled =
        CompiledSchedules.of(preset.schedules(), preset.schedulingTimezone());
    if (!compiled.problems().isEmpty()) {
      return new DesiredInstances(
          fallback, "default (schedules ignored: see problems)", compiled.problems(), null);
    }
    ZonedDateTime local = now.atZone(compiled.zone());
    int current = compiled.firstMatch(local.getDayOfWeek().getValue(), local.getHour());
    Instant nextChangeAt = nextChange(compiled, current, local, now);
    if (current < 0) {
      return new DesiredInstances(fallback, compiled.noMatchSource(), List.of(), nextChangeAt);
    }
    return new DesiredInstances(
        preset.schedules().get(current).desiredInstances(),
        compiled.sources()[current],
        List.of(),
        nextChangeAt);
  }

  private static String inactiveReason(PresetDefinition preset) {
    if (preset.templateDeleted()) {
      return "none: the template was deleted";
    }
    if (preset.templateDeprecated()) {
      return "none: the template is deprecated";
    }
    return "none: template version " + preset.templateVersionId() + " is no longer active";
  }

  /**
   * Walks the local hours of the coming week and returns the first instant at which another
   * schedule (or none) matches. Hours that do not exist locally (a DST gap) are skipped; a repeated
   * hour (DST fall-back) matches the same schedule twice, so it is no boundary.
   */
  private static Instant nextChange(
      CompiledSchedules compiled, int current, ZonedDateTime local, Instant now) {
    LocalDateTime base = local.toLocalDateTime().truncatedTo(ChronoUnit.HOURS);
    int day = local.getDayOfWeek().getValue();
    int hour = local.getHour();
    for (int k = 1; k <= CompiledSchedules.HOURS_PER_WEEK; k++) {
      hour++;
      if (hour == 24) {
        hour = 0;
        day = day % 7 + 1;
      }
      if (compiled.firstMatch(day, hour) == current) {
        continue;
      }
      ZonedDateTime candidate = base.plusHours(k).atZone(compiled.zone());
      Instant at = candidate.toInstant();
      if (at.isAfter(now)
          && compiled.firstMatch(candidate.getDayOfWeek().getValue(), candidate.getHour())
              != current) {
        return at;
      }
    }
    return null;
  }
}
