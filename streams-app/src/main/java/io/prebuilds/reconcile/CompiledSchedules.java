package io.prebuilds.reconcile;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A preset's schedules parsed and checked once: the zone, one {@link CronRange} per schedule, the
 * plain-language source of each, and the problems that make all of them ignored.
 *
 * <p>Decisions run far more often than definitions change, so compiled schedules are memoized by
 * their text. The memo only saves work: a compiled value depends on nothing but its key, so a hit,
 * a miss or a cleared memo all give the same decision.
 */
record CompiledSchedules(
    ZoneId zone,
    CronRange[] ranges,
    String[] sources,
    String noMatchSource,
    List<String> problems) {

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
    return new CompiledSchedules(
        zone,
        ranges,
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

  /** The index of the first schedule matching local hour {@code hour} of ISO day {@code day}. */
  int firstMatch(int day, int hour) {
    for (int i = 0; i < ranges.length; i++) {
      if (ranges[i].matches(day, hour)) {
        return i;
      }
    }
    return -1;
  }
}
