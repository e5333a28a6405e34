package io.prebuilds.reconcile;

/**
 * A 5-field cron expression read as a weekly time range: a set of hours of the day and a set of
 * days of the week (the minute, day-of-month and month fields must be {@code *}). An instant is in
 * the range when its local hour and day of week both are, so {@code * 9-18 * * 1-5} covers
 * 09:00:00–18:59:59 Monday to Friday.
 *
 * <p>Hours and days are accepted as {@code *}, numbers, ranges {@code a-b}, steps {@code * /s},
 * {@code a-b/s} and {@code a/s}, and comma-separated lists of those. Days are 0–7 (0 and 7 are
 * Sunday) or SUN–SAT. Kept as two bit masks, so matching is two shifts.
 *
 * @param hours bit {@code h} set when hour {@code h} (0–23) is in the range
 * @param days bit {@code d} set when ISO day {@code d} (1 = Monday … 7 = Sunday) is in the range
 */
record CronRange(int hours, int days) {

  private static final String[] DAY_NAMES = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  /** Whether local hour {@code hour} (0–23) of ISO day {@code isoDay} (1–7) is in the range. */
  boolean matches(int isoDay, int hour) {
    return (hours >>> hour & 1) != 0 && (days >>> isoDay & 1) != 0;
  }

  /** Whether some hour of some day is in both ranges. */
  boolean overlaps(CronRange other) {
    return (hours & other.hours) != 0 && (days & other.days) != 0;
  }

  /**
   * Parses a cron expression.
   *
   * @throws IllegalArgumentException with a message saying which field is wrong and why
   */
  static CronRange parse(String cron) {
    String[] fields = fields(cron);
    requireStar("minute", fields[0]);
    requireStar("day-of-month", fields[2]);
    requireStar("month", fields[3]);
    int hours = parseField("hour", fields[1], 0, 23, false);
    int cronDays = parseField("day-of-week", fields[4], 0, 7, true);
    // cron day 0 and 7 are Sunday (ISO 7); cron days 1-6 are ISO 1-6.
    int isoDays = (cronDays & 0b0111_1110) | ((cronDays & 1) << 7) | (cronDays & (1 << 7));
    return new CronRange(hours, isoDays);
  }

  /** Splits on runs of spaces and tabs without a regular expression (this runs per decision). */
  private static String[] fields(String cron) {
    String[] fields = new String[5];
    int count = 0;
    int i = 0;
    int n = cron.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(cron.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(cron.charAt(i))) {
        i++;
      }
      if (i > start) {
        if (count == 5) {
          count++;
          break;
        }
        fields[count++] = cron.substring(start, i);
      }
    }
    if (count != 5) {
      throw new IllegalArgumentException(
          "expected 5 fields (minute hour day-of-month month day-of-week), got "
              + (count > 5 ? "more" : Integer.toString(count)));
    }
    return fields;
  }

  private static void requireStar(String name, String field) {
    if (!field.equals("*")) {
      throw new IllegalArgumentException(
          name + " field must be '*' (schedules are hour and weekday ranges), got '" + field + "'");
    }
  }

  private static int parseField(String name, String field, int min, int max, boolean dayNames) {
    int mask = 0;
    for (String part : field.split(",", -1)) {
      mask |= parsePart(name, part, min, max, dayNames);
    }
    return mask;
  }

  private static int parsePart(String name, String part, int min, int max, boolean dayNames) {
    int slash = part.indexOf('/');
    String range = slash < 0 ? part : part.substring(0, slash);
    int step = 1;
    if (slash >= 0) {
      step = number(name, part.substring(slash + 1), 1, max - min + 1, false);
    }
    int from;
    int to;
    if (range.equals("*")) {
      from = min;
      to = max;
    } else {
      int dash = range.indexOf('-');
      if (dash < 0) {
        from = number(name, range, min, max, dayNames);
        to = slash < 0 ? from : max;
      } else {
        from = number(name, range.substring(0, dash), min, max, dayNames);
        to = number(name, range.substring(dash + 1), min, max, dayNames);
        if (to < from) {
          throw new IllegalArgumentException(name + " range '" + range + "' ends before it starts");
        }
      }
    }
    int mask = 0;
    for (int v = from; v <= to; v += step) {
      mask |= 1 << v;
    }
    return mask;
  }

  private static int number(String name, String text, int min, int max, boolean dayNames) {
    if (dayNames) {
      for (int i = 0; i < DAY_NAMES.length; i++) {
        if (DAY_NAMES[i].equalsIgnoreCase(text)) {
          return i;
        }
      }
    }
    if (text.isEmpty() || text.length() > 2) {
      throw new IllegalArgumentException(name + " value '" + text + "' is not a number");
    }
    int value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(name + " value '" + text + "' is not a number");
      }
      value = value * 10 + (c - '0');
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " value " + value + " is outside " + min + "-" + max);
    }
    return value;
  }
}
