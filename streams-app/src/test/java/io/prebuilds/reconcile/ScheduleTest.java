package io.prebuilds.reconcile;

import static io.prebuilds.reconcile.Fixtures.preset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Instant berlin(String localDateTime) {
    return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), BERLIN).toInstant();
  }

  @ParameterizedTest(name = "`{0}` covers hours {1} on days {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "* 9-18 * * 1-5; 9-18; 1-5",
        "* * * * *; 0-23; 1-7",
        "* 0 * * 0; 0; 7",
        "* 23 * * 7; 23; 7",
        "* 1,3,5 * * 6,0; 1,3,5; 6,7",
        "* */6 * * MON-FRI; 0,6,12,18; 1-5",
        "* 8-18/5 * * sat,SUN; 8,13,18; 6-7",
        "* 20/2 * * 5/1; 20,22; 5-7",
        "*   9-18\t* *   1-5; 9-18; 1-5"
      })
  void parsesHoursAndDaysAsRanges(String cron, String hours, String days) {
    CronRange range = CronRange.parse(cron);
    assertThat(range).isEqualTo(new CronRange(mask(hours), mask(days)));
  }

  private static int mask(String spec) {
    int mask = 0;
    for (String part : spec.split(",")) {
      String[] bounds = part.split("-");
      int from = Integer.parseInt(bounds[0]);
      int to = bounds.length == 1 ? from : Integer.parseInt(bounds[1]);
      for (int v = from; v <= to; v++) {
        mask |= 1 << v;
      }
    }
    return mask;
  }

  @ParameterizedTest(name = "`{0}` is rejected: {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "* 9-18 * *; expected 5 fields",
        "* 9-18 * * 1-5 2025; expected 5 fields",
        "0 9-18 * * 1-5; minute field must be '*'",
        "* 9-18 1 * 1-5; day-of-month field must be '*'",
        "* 9-18 * 6 1-5; month field must be '*'",
        "* 24 * * *; hour value 24 is outside 0-23",
        "* 18-9 * * *; hour range '18-9' ends before it starts",
        "* 9 * * 8; day-of-week value 8 is outside 0-7",
        "* nine * * *; hour value 'nine' is not a number",
        "* 9 * * MONDAY; day-of-week value 'MONDAY' is not a number",
        "* */0 * * *; hour value 0 is outside 1-24",
        "* 1,,2 * * *; hour value '' is not a number",
        "* -1 * * *; hour value '' is not a number"
      })
  void rejectsWhatIsNotAnHourAndDayRange(String cron, String message) {
    assertThatThrownBy(() -> CronRange.parse(cron))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void firstMatchingScheduleWinsAndSaysWhereTheCountCameFrom() {
    PresetDefinition def =
        preset()
            .desired(1)
            .timezone("Europe/Berlin")
            .schedule("* 9-18 * * 1-5", 3)
            .schedule("* 12-13 * * 6", 5)
            .build();
    DesiredInstances at = DesiredInstances.at(def, berlin("2025-06-02T10:00"));
    assertThat(at.count()).isEqualTo(3);
    assertThat(at.source()).isEqualTo("schedule `* 9-18 * * 1-5` Europe/Berlin");
    assertThat(at.problems()).isEmpty();
    DesiredInstances off = DesiredInstances.at(def, berlin("2025-06-02T20:00"));
    assertThat(off.count()).isEqualTo(1);
    assertThat(off.source()).isEqualTo("default (no schedule matches now in Europe/Berlin)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "'';* 9-18 * * 1-5;* 20-21 * * 1-5;schedules need a scheduling timezone, none is set",
        "Mars/Olympus;* 9-18 * * 1-5;* 20-21 * * 1-5;scheduling timezone 'Mars/Olympus' is not a known IANA zone",
        "UTC;* 9-18 * * 1-5;0 20 * * 1-5;schedule `0 20 * * 1-5` is invalid: minute field must be '*' (schedules are hour and weekday ranges), got '0'",
        "UTC;* 9-18 * * 1-5;* 18-20 * * 5-6;schedules `* 9-18 * * 1-5` and `* 18-20 * * 5-6` overlap"
      })
  void badSchedulesFallBackToTheDefaultWithADiagnostic(
      String zone, String first, String second, String problem) {
    PresetDefinition def =
        preset().desired(2).timezone(zone).schedule(first, 7).schedule(second, 9).build();
    DesiredInstances at = DesiredInstances.at(def, Instant.parse("2025-06-06T18:30:00Z"));
    assertThat(at.count()).isEqualTo(2);
    assertThat(at.problems()).containsExactly(problem);
    assertThat(at.nextChangeAt()).isNull();
  }

  @Test
  void negativeScheduleCountIsAProblem() {
    PresetDefinition def = preset().desired(2).timezone("UTC").schedule("* 9 * * *", -1).build();
    assertThat(DesiredInstances.at(def, Instant.parse("2025-06-02T09:00:00Z")).problems())
        .containsExactly("schedule `* 9 * * *` wants a negative count (-1)");
  }

  @Test
  void schedulesAreReadInLocalTimeAcrossTheSpringForwardGap() {
    // 30 March 2025: Berlin clocks jump from 02:00 CET to 03:00 CEST; hour 2 does not exist.
    PresetDefinition def =
        preset().desired(0).timezone("Europe/Berlin").schedule("* 2 * * *", 4).build();
    assertThat(DesiredInstances.at(def, Instant.parse("2025-03-30T00:59:59Z")).count()).isZero();
    assertThat(DesiredInstances.at(def, Instant.parse("2025-03-30T01:00:00Z")).count()).isZero();
    // The day before, 02:00 local is 01:00 UTC.
    assertThat(DesiredInstances.at(def, Instant.parse("2025-03-29T01:30:00Z")).count())
        .isEqualTo(4);
    // From Saturday 03:00 local the next change is Monday 02:00 local: Sunday's hour 2 never came.
    DesiredInstances saturday = DesiredInstances.at(def, Instant.parse("2025-03-29T02:00:00Z"));
    assertThat(saturday.nextChangeAt()).isEqualTo(Instant.parse("2025-03-31T00:00:00Z"));
  }

  @Test
  void theRepeatedAutumnHourMatchesTwice() {
    // 26 October 2025: Berlin clocks go back from 03:00 CEST to 02:00 CET; hour 2 happens twice.
    PresetDefinition def =
        preset().desired(0).timezone("Europe/Berlin").schedule("* 2 * * *", 4).build();
    assertThat(DesiredInstances.at(def, Instant.parse("2025-10-26T00:30:00Z")).count())
        .isEqualTo(4);
    DesiredInstances second = DesiredInstances.at(def, Instant.parse("2025-10-26T01:30:00Z"));
    assertThat(second.count()).isEqualTo(4);
    assertThat(second.nextChangeAt()).isEqualTo(Instant.parse("2025-10-26T02:00:00Z"));
    DesiredInstances first = DesiredInstances.at(def, Instant.parse("2025-10-26T00:00:00Z"));
    assertThat(first.nextChangeAt()).isEqualTo(Instant.parse("2025-10-26T02:00:00Z"));
  }

  @Test
  void nextChangeIsTheNextScheduleBoundaryInTheZone() {
    PresetDefinition def =
        preset().desired(1).timezone("Europe/Berlin").schedule("* 9-18 * * 1-5", 3).build();
    // Friday 20:00 Berlin: nothing changes before Monday 09:00 Berlin.
    assertThat(DesiredInstances.at(def, berlin("2025-06-06T20:00")).nextChangeAt())
        .isEqualTo(berlin("2025-06-09T09:00"));
    // Monday 10:15: the range ends at 19:00.
    assertThat(DesiredInstances.at(def, berlin("2025-06-09T10:15")).nextChangeAt())
        .isEqualTo(berlin("2025-06-09T19:00"));
  }

  @Test
  void adjacentSchedulesAreBoundariesEvenWithTheSameCount() {
    PresetDefinition def =
        preset()
            .desired(1)
            .timezone("Asia/Kolkata")
            .schedule("* 9-11 * * *", 3)
            .schedule("* 12-13 * * *", 3)
            .build();
    Instant tenThirty = Instant.parse("2025-06-02T05:00:00Z"); // 10:30 in Kolkata (+05:30)
    assertThat(DesiredInstances.at(def, tenThirty).nextChangeAt())
        .isEqualTo(Instant.parse("2025-06-02T06:30:00Z"));
  }

  @Test
  void aScheduleCoveringTheWholeWeekNeverChanges() {
    PresetDefinition def = preset().timezone("UTC").schedule("* * * * *", 2).build();
    DesiredInstances at = DesiredInstances.at(def, Fixtures.NOW);
    assertThat(at.count()).isEqualTo(2);
    assertThat(at.nextChangeAt()).isNull();
  }

  @Test
  void inactivePresetsWantNothingWhateverTheSchedule() {
    PresetDefinition def =
        preset().inactive().timezone("UTC").schedule("* * * * *", 2).desired(5).build();
    DesiredInstances at = DesiredInstances.at(def, Fixtures.NOW);
    assertThat(at.count()).isZero();
    assertThat(at.source()).isEqualTo("none: template version version-1 is no longer active");
    assertThat(DesiredInstances.at(preset().deleted().build(), Fixtures.NOW).source())
        .isEqualTo("none: the template was deleted");
  }
}
