package io.prebuilds.reconcile;

import static io.prebuilds.reconcile.Fixtures.CONFIG;
import static io.prebuilds.reconcile.Fixtures.NOW;
import static io.prebuilds.reconcile.Fixtures.TRIGGER;
import static io.prebuilds.reconcile.Fixtures.coderState;
import static io.prebuilds.reconcile.Fixtures.preset;
import static io.prebuilds.reconcile.Fixtures.state;
import static io.prebuilds.reconcile.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every decision case of Coder's {@code coderd/prebuilds/preset_snapshot_test.go} (commit pinned in
 * {@code docs/reconciliation.md}), numbered as in that document. Coder's in-progress counts become
 * our in-flight commands or in-progress builds; its backoff rows become failed create attempts.
 * Where we deliberately differ, the expectation is ours and the doc says why.
 */
class CoderCasesTest {

  /** Coder's test fixture: backoff interval 5 s. */
  private static final ReconcileConfig CODER = CONFIG.withBackoffInterval(Duration.ofSeconds(5));

  private static final Instant MONDAY = Instant.parse("2025-06-02T00:00:00Z");

  record Check(
      String label,
      PresetState state,
      Instant now,
      ReconcileConfig config,
      String expectedState,
      List<String> expectedActions,
      boolean idle) {}

  record CoderCase(int number, String name, List<Check> checks) {
    @Override
    public String toString() {
      return "#" + number + " " + name;
    }
  }

  private static Check check(PresetState state, String expectedState, String... actions) {
    return check(state, NOW, expectedState, actions);
  }

  private static Check check(
      PresetState state, Instant now, String expectedState, String... actions) {
    return new Check("", state, now, CODER, expectedState, List.of(actions), false);
  }

  /** Coder's CanSkipReconciliation = true: for us, no actions and nothing due before resync. */
  private static Check idle(PresetState state) {
    return new Check("idle", state, NOW, CODER, null, List.of(), true);
  }

  /** Coder's "not no-op": the expected actions, state not compared. */
  private static Check acts(PresetState state, String... actions) {
    return new Check("acts", state, NOW, CODER, null, List.of(actions), false);
  }

  private static CoderCase c(int number, String name, Check... checks) {
    return new CoderCase(number, name, List.of(checks));
  }

  private static Instant monday(String time) {
    return Instant.parse("2025-06-02T" + time + "Z");
  }

  static Stream<CoderCase> coderCases() {
    PresetDefinition ttl5 = preset().desired(2).ttl(Duration.ofSeconds(5)).build();
    Instant expiredAt = NOW.minusSeconds(10);
    PresetDefinition scheduled1 =
        preset()
            .id("p1")
            .timezone("UTC")
            .schedule("* 2-4 * * 1-5", 2)
            .schedule("* 6-8 * * 1-5", 3)
            .build();
    PresetDefinition scheduled2 =
        preset()
            .id("p2")
            .timezone("UTC")
            .schedule("* 10-12 * * 1-5", 4)
            .schedule("* 14-16 * * 1-5", 5)
            .build();
    PresetDefinition weekdays = preset().timezone("UTC").schedule("* 9-18 * * 1-5", 3).build();
    PresetDefinition threeShifts =
        preset()
            .timezone("UTC")
            .schedule("* 6-10 * * 1-5", 2)
            .schedule("* 12-16 * * 1-5", 3)
            .schedule("* 18-22 * * 1-5", 4)
            .build();
    PresetDefinition weekend =
        preset()
            .timezone("UTC")
            .schedule("* 9-18 * * 1-5", 2)
            .schedule("* 9-13 * * 6,0", 3)
            .build();
    PresetDefinition losAngeles =
        preset().timezone("America/Los_Angeles").schedule("* 9-13 * * 1-5", 3).build();
    PresetDefinition matchOnly =
        preset().desired(0).timezone("UTC").schedule("* 9-18 * * 1-5", 1).build();
    Instant backoffFrom = NOW;

    return Stream.of(
        c(1, "TestNoPrebuilds", check(state(0).build(), "")),
        c(2, "TestNetNew", check(state(1).build(), "D=1", "create 1")),
        c(
            3,
            "TestOutdatedPrebuilds (outdated preset)",
            check(
                state(preset().inactive().build()).running("old", NOW, true).build(),
                "A=1",
                "delete outdated [old]")),
        c(
            4,
            "TestOutdatedPrebuilds (current preset)",
            check(state(preset().version("version-2").build()).build(), "D=1", "create 1")),
        c(
            5,
            "TestDeleteOutdatedPrebuilds",
            check(
                state(preset().inactive().build())
                    .running("old", NOW, true)
                    .inProgress(BuildTransition.DELETE, 1)
                    .build(),
                "A=1 Dl=1",
                "delete outdated [old]")),
        c(
            6,
            "TestCancelPendingPrebuilds/CancelPendingPrebuildsNonActiveVersion",
            check(
                state(preset().inactive().desired(0).build()).creating(2, NOW).build(),
                "St=2",
                "cancel 2")),
        c(
            7,
            "TestCancelPendingPrebuilds/NotCancelPendingPrebuildsActiveVersion",
            check(state(0).creating(2, NOW).build(), "St=2")),
        c(
            8,
            "TestInProgressActions/start-short",
            check(state(1).creating(1, NOW).build(), "D=1 St=1")),
        c(
            9,
            "TestInProgressActions/start-balanced",
            check(state(2).running(1, NOW, false).creating(1, NOW).build(), "A=1 D=2 St=1")),
        c(
            10,
            "TestInProgressActions/start-extraneous",
            check(state(2).running(2, NOW, false).creating(1, NOW).build(), "A=2 D=2 St=1")),
        c(
            11,
            "TestInProgressActions/stop-short",
            check(state(1).inProgress(BuildTransition.STOP, 1).build(), "D=1 Sp=1", "create 1")),
        c(
            12,
            "TestInProgressActions/stop-balanced",
            check(
                state(3).running(2, NOW, false).inProgress(BuildTransition.STOP, 1).build(),
                "A=2 D=3 Sp=1",
                "create 1")),
        c(
            13,
            "TestInProgressActions/stop-extraneous",
            check(
                state(3).running(3, NOW, false).inProgress(BuildTransition.STOP, 1).build(),
                "A=3 D=3 Sp=1")),
        c(
            14,
            "TestInProgressActions/delete-short",
            check(state(1).inProgress(BuildTransition.DELETE, 1).build(), "D=1 Dl=1", "create 1")),
        c(
            15,
            "TestInProgressActions/delete-balanced",
            check(
                state(2).running(1, NOW, false).inProgress(BuildTransition.DELETE, 1).build(),
                "A=1 D=2 Dl=1",
                "create 1")),
        c(
            16,
            "TestInProgressActions/delete-extraneous",
            check(
                state(2).running(2, NOW, false).inProgress(BuildTransition.DELETE, 1).build(),
                "A=2 D=2 Dl=1")),
        c(
            17,
            "TestInProgressActions/start-inhibit",
            check(state(3).running(1, NOW, false).creating(2, NOW).build(), "A=1 D=3 St=2")),
        c(
            18,
            "TestInProgressActions/delete-inhibit",
            check(
                state(3)
                    .running("a", NOW.minusSeconds(5), false)
                    .running("b", NOW.minusSeconds(4), false)
                    .running("c", NOW.minusSeconds(3), false)
                    .running("d", NOW.minusSeconds(2), false)
                    .running("e", NOW.minusSeconds(1), false)
                    .inProgress(BuildTransition.DELETE, 2)
                    .build(),
                "A=5 D=3 X=2 Dl=2",
                "delete extraneous [a, b]")),
        c(
            19,
            "TestExtraneous",
            check(
                state(1)
                    .running("older", NOW.minusSeconds(3600), true)
                    .running("newer", NOW, true)
                    .build(),
                "A=2 D=1 E=2 X=1",
                "delete extraneous [older]")),
        c(
            20,
            "TestExpiredPrebuilds/no expired prebuilds - no actions taken",
            check(state(ttl5).running(2, NOW, false).build(), "A=2 D=2")),
        c(
            21,
            "TestExpiredPrebuilds/one expired prebuild – deleted and replaced",
            check(
                state(ttl5).running("old", expiredAt, false).running("new", NOW, false).build(),
                "A=2 D=2 Exp=1",
                "delete expired [old]",
                "create 1")),
        c(
            22,
            "TestExpiredPrebuilds/all prebuilds expired – all deleted and recreated",
            check(
                state(ttl5).running("x", expiredAt, false).running("y", expiredAt, false).build(),
                "A=2 D=2 Exp=2",
                "delete expired [x, y]",
                "create 2")),
        c(
            23,
            "TestExpiredPrebuilds/expired prebuilds deleted to reach desired count",
            check(
                state(ttl5)
                    .running("x", expiredAt, false)
                    .running("y", expiredAt, false)
                    .running(2, NOW, false)
                    .build(),
                "A=4 D=2 Exp=2",
                "delete expired [x, y]")),
        c(
            24,
            "TestExpiredPrebuilds/expired prebuild deleted first, then extraneous",
            check(
                state(ttl5)
                    .running("x", expiredAt, false)
                    .running("oldest", NOW.minusSeconds(3), false)
                    .running("b", NOW.minusSeconds(2), false)
                    .running("c", NOW.minusSeconds(1), false)
                    .build(),
                "A=4 D=2 X=1 Exp=1",
                "delete expired [x]",
                "delete extraneous [oldest]")),
        c(
            25,
            "TestExpiredPrebuilds/preset has been invalidated - both instances expired",
            check(
                state(preset().desired(2).lastInvalidatedAt(NOW.plusSeconds(60)).build())
                    .running("x", NOW, false)
                    .running("y", NOW, false)
                    .build(),
                "A=2 D=2 Exp=2",
                "delete expired [x, y]",
                "create 2")),
        c(
            26,
            "TestExpiredPrebuilds/preset has been invalidated, but one prebuild instance is newer",
            check(
                state(preset().desired(2).lastInvalidatedAt(NOW.minusSeconds(60)).build())
                    .running("before", NOW.minusSeconds(120), false)
                    .running("after", NOW, false)
                    .build(),
                "A=2 D=2 Exp=1",
                "delete expired [before]",
                "create 1")),
        c(
            27,
            "TestDeprecated",
            check(
                state(preset().deprecated().build()).running("w", NOW, true).build(),
                "A=1",
                "delete outdated [w]")),
        c(
            28,
            "TestLatestBuildFailed (failing preset)",
            check(
                state(1).attempt(backoffFrom, CreateAttempt.Result.FAILED).build(),
                "D=1",
                "backoff " + backoffFrom.plusSeconds(5))),
        c(
            29,
            "TestLatestBuildFailed (other preset)",
            check(
                state(preset().id("other").build()).running("w", NOW, true).build(),
                "A=1 D=1 E=1")),
        c(
            30,
            "TestLatestBuildFailed (after the backoff interval)",
            check(
                state(1).attempt(backoffFrom, CreateAttempt.Result.FAILED).build(),
                backoffFrom.plusSeconds(5).plusNanos(1000),
                "D=1",
                "create 1")),
        c(
            31,
            "TestMultiplePresetsPerTemplateVersion (preset 1)",
            check(state(preset().id("p1").build()).creating(1, NOW).build(), "D=1 St=1")),
        c(
            32,
            "TestMultiplePresetsPerTemplateVersion (preset 2)",
            check(state(preset().id("p2").build()).build(), "D=1", "create 1")),
        c(
            33,
            "TestPrebuildScheduling/Before the 1st schedule",
            check(state(scheduled1).build(), monday("01:00:00"), "D=1", "create 1"),
            check(state(scheduled2).build(), monday("01:00:00"), "D=1", "create 1")),
        c(
            34,
            "TestPrebuildScheduling/1st schedule",
            check(state(scheduled1).build(), monday("03:00:00"), "D=2", "create 2"),
            check(state(scheduled2).build(), monday("03:00:00"), "D=1", "create 1")),
        c(
            35,
            "TestPrebuildScheduling/2nd schedule",
            check(state(scheduled1).build(), monday("07:00:00"), "D=3", "create 3"),
            check(state(scheduled2).build(), monday("07:00:00"), "D=1", "create 1")),
        c(
            36,
            "TestPrebuildScheduling/3rd schedule",
            check(state(scheduled1).build(), monday("11:00:00"), "D=1", "create 1"),
            check(state(scheduled2).build(), monday("11:00:00"), "D=4", "create 4")),
        c(
            37,
            "TestPrebuildScheduling/4th schedule",
            check(state(scheduled1).build(), monday("15:00:00"), "D=1", "create 1"),
            check(state(scheduled2).build(), monday("15:00:00"), "D=5", "create 5")),
        c(
            38,
            "TestMatchesCron",
            check(state(matchOnly).build(), monday("08:59:59"), ""),
            check(state(matchOnly).build(), monday("09:00:00"), "D=1", "create 1")),
        c(
            39,
            "TestCanSkipReconciliation/inactive_with_nothing_to_cleanup",
            idle(state(preset().inactive().desired(5).build()).build())),
        c(
            40,
            "TestCanSkipReconciliation/inactive_with_running_workspaces",
            acts(
                state(preset().inactive().desired(5).build()).running("w", NOW, true).build(),
                "delete outdated [w]")),
        c(
            41,
            "TestCanSkipReconciliation/inactive_with_pending_jobs",
            acts(
                state(preset().inactive().desired(5).build()).creating(3, NOW).build(),
                "cancel 3")),
        c(
            42,
            "TestCanSkipReconciliation/inactive_deleted_template_with_nothing_to_cleanup",
            idle(state(preset().deleted().desired(5).build()).build())),
        c(
            43,
            "TestCanSkipReconciliation/inactive_deprecated_template_with_nothing_to_cleanup",
            idle(state(preset().deprecated().desired(5).build()).build())),
        c(
            44,
            "TestCanSkipReconciliation/inactive_hard_limited",
            idle(
                state(preset().inactive().desired(5).build())
                    .status(PresetStatus.HARD_LIMITED, true)
                    .build())),
        c(
            45,
            "TestCanSkipReconciliation/active_with_desired_instances",
            acts(state(2).running(2, NOW, true).build())),
        c(
            46,
            "TestCanSkipReconciliation/active_with_no_workspaces",
            acts(state(5).build(), "create 5")),
        c(
            47,
            "TestCanSkipReconciliation/active_with_backoff",
            new Check(
                "acts",
                state(5)
                    .attempt(NOW.minusSeconds(240), CreateAttempt.Result.FAILED)
                    .attempt(NOW.minusSeconds(180), CreateAttempt.Result.SUCCEEDED)
                    .attempt(NOW.minusSeconds(120), CreateAttempt.Result.FAILED)
                    .attempt(NOW.minusSeconds(60), CreateAttempt.Result.FAILED)
                    .build(),
                NOW,
                CONFIG.withBackoffInterval(Duration.ofMinutes(5)),
                null,
                List.of("backoff " + NOW.minusSeconds(60).plus(Duration.ofMinutes(15))),
                false)),
        c(
            48,
            "TestCanSkipReconciliation/active_hard_limited",
            acts(state(5).status(PresetStatus.HARD_LIMITED, true).build())),
        c(49, "TestCalculateDesiredInstances weekdays 08:59:59", desired(weekdays, "08:59:59", 1)),
        c(50, "TestCalculateDesiredInstances weekdays 09:00:00", desired(weekdays, "09:00:00", 3)),
        c(51, "TestCalculateDesiredInstances weekdays 09:01:00", desired(weekdays, "09:01:00", 3)),
        c(52, "TestCalculateDesiredInstances weekdays 14:00", desired(weekdays, "14:00:00", 3)),
        c(53, "TestCalculateDesiredInstances weekdays 18:00", desired(weekdays, "18:00:00", 3)),
        c(54, "TestCalculateDesiredInstances weekdays 18:59:59", desired(weekdays, "18:59:59", 3)),
        c(55, "TestCalculateDesiredInstances weekdays 19:00:00", desired(weekdays, "19:00:00", 1)),
        c(56, "TestCalculateDesiredInstances weekdays 19:01", desired(weekdays, "19:01:00", 1)),
        c(57, "TestCalculateDesiredInstances weekdays 02:00", desired(weekdays, "02:00:00", 1)),
        c(
            58,
            "TestCalculateDesiredInstances weekdays Saturday 14:00",
            desired(weekdays, Instant.parse("2025-06-07T14:00:00Z"), 1)),
        c(
            59,
            "TestCalculateDesiredInstances weekdays Sunday 14:00",
            desired(weekdays, Instant.parse("2025-06-08T14:00:00Z"), 1)),
        c(
            60,
            "TestCalculateDesiredInstances three shifts 05:00",
            desired(threeShifts, "05:00:00", 1)),
        c(
            61,
            "TestCalculateDesiredInstances three shifts 08:00",
            desired(threeShifts, "08:00:00", 2)),
        c(
            62,
            "TestCalculateDesiredInstances three shifts 11:00",
            desired(threeShifts, "11:00:00", 1)),
        c(
            63,
            "TestCalculateDesiredInstances three shifts 14:00",
            desired(threeShifts, "14:00:00", 3)),
        c(
            64,
            "TestCalculateDesiredInstances three shifts 20:00",
            desired(threeShifts, "20:00:00", 4)),
        c(
            65,
            "TestCalculateDesiredInstances three shifts 23:00",
            desired(threeShifts, "23:00:00", 1)),
        c(
            66,
            "TestCalculateDesiredInstances weekend Monday 14:00",
            desired(weekend, "14:00:00", 2)),
        c(
            67,
            "TestCalculateDesiredInstances weekend Saturday 10:00",
            desired(weekend, Instant.parse("2025-06-07T10:00:00Z"), 3)),
        c(
            68,
            "TestCalculateDesiredInstances weekend Saturday 14:00",
            desired(weekend, Instant.parse("2025-06-07T14:00:00Z"), 1)),
        c(
            69,
            "TestCalculateDesiredInstances Los Angeles 15:00 UTC",
            desired(losAngeles, "15:00:00", 1)),
        c(
            70,
            "TestCalculateDesiredInstances Los Angeles 16:00 UTC",
            desired(losAngeles, "16:00:00", 3)),
        c(
            71,
            "TestCalculateDesiredInstances Los Angeles 20:59 UTC",
            desired(losAngeles, "20:59:00", 3)),
        c(
            72,
            "TestCalculateDesiredInstances Los Angeles 21:00 UTC",
            desired(losAngeles, "21:00:00", 1)),
        c(
            73,
            "TestCalculateDesiredInstances Los Angeles 23:00 UTC",
            desired(losAngeles, "23:00:00", 1)),
        c(
            74,
            "TestCalculateDesiredInstances weekdays at 04:00-04:00",
            desired(weekdays, Instant.parse("2025-06-02T04:00:00-04:00"), 1)),
        c(
            75,
            "TestCalculateDesiredInstances weekdays at 05:00-04:00",
            desired(weekdays, Instant.parse("2025-06-02T05:00:00-04:00"), 3)));
  }

  private static Check desired(PresetDefinition preset, String mondayTime, int expected) {
    return desired(preset, monday(mondayTime), expected);
  }

  private static Check desired(PresetDefinition preset, Instant at, int expected) {
    return check(state(preset).build(), at, "D=" + expected, "create " + expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("coderCases")
  void decidesAsCoderDoes(CoderCase coderCase) {
    for (Check check : coderCase.checks()) {
      Decision decision = Reconciler.decide(check.state(), TRIGGER, check.now(), check.config());
      if (check.expectedState() != null) {
        assertThat(coderState(decision.diagnostics()))
            .as("%s: state", coderCase)
            .isEqualTo(check.expectedState());
      }
      assertThat(summary(decision)).as("%s: actions", coderCase).isEqualTo(check.expectedActions());
      if (check.idle()) {
        assertThat(decision.nextDueAt())
            .as("%s: an idle preset waits for its resync", coderCase)
            .isEqualTo(check.now().plus(check.config().resyncAfter(check.state().presetId())));
      }
    }
  }

  @Test
  void everyCaseListedInTheDocHasATestAndViceVersa() throws IOException {
    Path doc = Path.of("..", "docs", "reconciliation.md");
    String text = Files.readString(doc);
    Matcher rows = Pattern.compile("(?m)^\\| (\\d+) \\|").matcher(text);
    Set<Integer> documented = new TreeSet<>();
    while (rows.find()) {
      documented.add(Integer.parseInt(rows.group(1)));
    }
    Set<Integer> tested =
        coderCases().map(CoderCase::number).collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).as("cases listed in %s", doc).isNotEmpty().isEqualTo(tested);
    assertThat(tested).as("Coder's cases 1-75").isEqualTo(rangeClosed(1, 75));
  }

  private static Set<Integer> rangeClosed(int from, int to) {
    Set<Integer> all = new TreeSet<>();
    for (int i = from; i <= to; i++) {
      all.add(i);
    }
    return all;
  }
}
