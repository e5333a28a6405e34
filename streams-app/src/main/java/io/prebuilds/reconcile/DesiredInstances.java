package io.prebuilds.reconcile;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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

  /** One week of hours: after that, a weekly schedule repeats. */
  private static final int HOURS_PER_WEEK = 7 * 24;

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
    List<PrebuildSchedule> schedules = preset.schedules();
    int fallback = preset.desiredInstances();
    if (schedules.isEmpty()) {
      return new DesiredInstances(fallback, "default", List.of(), null);
    }
    List<String> problems = new ArrayList<>();
    ZoneId zone = zone(preset.schedulingTimezone(), problems);
    CronRange[] ranges = new CronRange[schedules.size()];
    for (int i = 0; i < ranges.length; i++) {
      PrebuildSchedule schedule = schedules.get(i);
      try {
        ranges[i] = CronRange.parse(schedule.cron());
      } catch (IllegalArgumentException e) {
        problems.add("schedule `" + schedule.cron() + "` is invalid: " + e.getMessage());
        continue;
      }
      if (schedule.desiredInstances() < 0) {
        problems.add(
            "schedule `"
                + schedule.cron()
                + "` wants a negative count ("
                + schedule.desiredInstances()
                + ")");
      }
      for (int j = 0; j < i; j++) {
        if (ranges[j] != null && ranges[j].overlaps(ranges[i])) {
          problems.add(
              "schedules `" + schedules.get(j).cron() + "` and `" + schedule.cron() + "` overlap");
        }
      }
    }
    if (!problems.isEmpty()) {
      return new DesiredInstances(
          fallback, "default (schedules ignored: see problems)", problems, null);
    }
    ZonedDateTime local = now.atZone(zone);
    int day = local.getDayOfWeek().getValue();
    int hour = local.getHour();
    int current = firstMatch(ranges, day, hour);
    Instant nextChangeAt = nextChange(ranges, current, local, now, zone);
    String zoneName = zone.getId();
    if (current < 0) {
      return new DesiredInstances(
          fallback,
          "default (no schedule matches now in " + zoneName + ")",
          List.of(),
          nextChangeAt);
    }
    PrebuildSchedule match = schedules.get(current);
    return new DesiredInstances(
        match.desiredInstances(),
        "schedule `" + match.cron() + "` " + zoneName,
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

  private static ZoneId zone(String name, List<String> problems) {
    if (name.isBlank()) {
      problems.add("schedules need a scheduling timezone, none is set");
      return null;
    }
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      problems.add("scheduling timezone '" + name + "' is not a known IANA zone");
      return null;
    }
  }

  private static int firstMatch(CronRange[] ranges, int day, int hour) {
    for (int i = 0; i < ranges.length; i++) {
      if (ranges[i].matches(day, hour)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Walks the local hours of the coming week and returns the first instant at which another
   * schedule (or none) matches. Hours that do not exist locally (a DST gap) are skipped; a repeated
   * hour (DST fall-back) matches the same schedule twice, so it is no boundary.
   */
  private static Instant nextChange(
      CronRange[] ranges, int current, ZonedDateTime local, Instant now, ZoneId zone) {
    LocalDateTime base = local.toLocalDateTime().truncatedTo(ChronoUnit.HOURS);
    int day = local.getDayOfWeek().getValue();
    int hour = local.getHour();
    for (int k = 1; k <= HOURS_PER_WEEK; k++) {
      hour++;
      if (hour == 24) {
        hour = 0;
        day = day % 7 + 1;
      }
      if (firstMatch(ranges, day, hour) == current) {
        continue;
      }
      ZonedDateTime candidate = base.plusHours(k).atZone(zone);
      Instant at = candidate.toInstant();
      if (at.isAfter(now)
          && firstMatch(ranges, candidate.getDayOfWeek().getValue(), candidate.getHour())
              != current) {
        return at;
      }
    }
    return null;
  }
}
