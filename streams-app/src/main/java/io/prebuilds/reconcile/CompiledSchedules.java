package io.prebuilds.reconcile;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A preset's schedules parsed and checked once: the zone, which schedule matches each hour of the
 * week, the plain-language source of each schedule, and the problems that make all of them ignored.
 *
 * <p>Decisions run far more often than definitions change, so compiled schedules are memoized by
 * their text. The memo only saves work: a compiled value depends on nothing but its key, so a hit,
 * a miss or a cleared memo all give the same decision.
 */
record CompiledSchedules(
    ZoneId zone, byte[] weekTable, String[] sources, String noMatchSource, List<String> problems) {

  /** One week of hours: after that, a weekly schedule repeats. */
  static final int HOURS_PER_WEEK = 7 * 24;

  private static final int MEMO_LIMIT = 4096;
  private static final Map<Key, CompiledSchedules> MEMO = new ConcurrentHashMap<>();

  private record Key(List<PrebuildSchedule> schedules, String timezone) {}

  static CompiledSchedules of(List<PrebuildSchedule> schedules, String timezone) {
    Key key = new Key(schedules, timezone);
    CompiledSchedules compiled = MEMO.get(key);
    if (compiled == null) {
      if (MEMO.size() >= MEMO_LIMIT) {
        MEMO.clear();
      }
      compiled = compile(schedules, timezone);
      MEMO.put(key, compiled);
    }
    return compiled;
  }

  private static CompiledSchedules compile(List<PrebuildSchedule> schedules, String timezone) {
    List<String> problems = new ArrayList<>();
    ZoneId zone = zone(timezone, problems);
    CronRange[] ranges = new CronRange[schedules.size()];
    String[] sources = new String[schedules.size()];
    for (int i = 0; i < ranges.length; i++) {
      PrebuildSchedule schedule = schedules.get(i);
      sources[i] = "schedule `" + schedule.cron() + "` " + timezone;
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
    byte[] weekTable = new byte[HOURS_PER_WEEK];
    if (problems.isEmpty()) {
      for (int day = 1; day <= 7; day++) {
        for (int hour = 0; hour < 24; hour++) {
          int match = -1;
          for (int i = ranges.length - 1; i >= 0; i--) {
            if (ranges[i].matches(day, hour)) {
              match = i;
            }
          }
          weekTable[(day - 1) * 24 + hour] = (byte) match;
        }
      }
    }
    return new CompiledSchedules(
        zone,
        weekTable,
        sources,
        "default (no schedule matches now in " + timezone + ")",
        List.copyOf(problems));
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

  /**
   * The index of the first schedule matching local hour {@code hour} (0–23) of ISO day {@code day}
   * (1–7), or -1.
   */
  int firstMatch(int day, int hour) {
    return weekTable[(day - 1) * 24 + hour];
  }
}
