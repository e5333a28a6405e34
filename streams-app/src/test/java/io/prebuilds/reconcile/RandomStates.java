package io.prebuilds.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Random but reproducible preset states for property tests: every state comes from a seed, and a
 * failing test names its seed.
 */
final class RandomStates {

  private static final String[] ZONES = {
    "UTC",
    "Europe/Berlin",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "",
    "Bad/Zone"
  };

  private static final String[][] SCHEDULE_SETS = {
    {},
    {"* 9-18 * * 1-5"},
    {"* 8-12 * * 1-5", "* 13-17 * * 1-5"},
    {"* 0-6 * * *", "* 20-23 * * *"},
    {"* */3 * * 0,6"},
    {"* 9-18 * * 1-5", "* 12 * * 1"},
    {"0 9 * * *"},
  };

  private RandomStates() {}

  static PresetDefinition definition(Random r) {
    Fixtures.PresetBuilder b = Fixtures.preset().desired(r.nextInt(7));
    int kind = r.nextInt(10);
    if (kind == 0) {
      b.inactive();
    } else if (kind == 1) {
      b.deprecated();
    } else if (kind == 2) {
      b.deleted();
    }
    if (r.nextInt(3) == 0) {
      b.timezone(ZONES[r.nextInt(ZONES.length)]);
      for (String cron : SCHEDULE_SETS[r.nextInt(SCHEDULE_SETS.length)]) {
        b.schedule(cron, r.nextInt(8));
      }
    }
    if (r.nextBoolean()) {
      b.ttl(Duration.ofMinutes(5 + r.nextInt(120)));
    }
    if (r.nextInt(5) == 0) {
      b.lastInvalidatedAt(Fixtures.NOW.minusSeconds(r.nextInt(7200)));
    }
    return b.build();
  }

  static PresetState state(Random r, Instant now) {
    PresetDefinition definition = definition(r);
    List<Prebuild> prebuilds = new ArrayList<>();
    List<InFlightCommand> commands = new ArrayList<>();
    int n = r.nextInt(11);
    for (int i = 0; i < n; i++) {
      String id = "w" + i;
      BuildTransition transition =
          r.nextInt(4) == 0 ? BuildTransition.values()[r.nextInt(3)] : BuildTransition.START;
      BuildStatus status =
          r.nextInt(4) == 0 ? BuildStatus.values()[r.nextInt(5)] : BuildStatus.SUCCEEDED;
      if (transition == BuildTransition.DELETE && status == BuildStatus.SUCCEEDED) {
        status = BuildStatus.RUNNING;
      }
      Instant createdAt = now.minusSeconds(r.nextInt(4 * 3600));
      Claim claim =
          r.nextInt(10) == 0
              ? new Claim("claim-" + i, "user", "user", createdAt.plusSeconds(1))
              : null;
      prebuilds.add(
          new Prebuild(
              id,
              "name-" + id,
              1 + r.nextInt(3),
              createdAt,
              transition,
              status,
              definition.templateVersionId(),
              r.nextBoolean(),
              claim,
              createdAt,
              r.nextBoolean() ? createdAt : null));
      if (r.nextInt(6) == 0) {
        commands.add(
            new InFlightCommand(
                "delete-" + id, CommandKind.DELETE, id, now.minusSeconds(r.nextInt(3600))));
      }
    }
    int creates = r.nextInt(4);
    for (int i = 0; i < creates; i++) {
      String workspace = r.nextInt(4) == 0 && n > 0 ? "w" + r.nextInt(n) : "new-" + i;
      commands.add(
          new InFlightCommand(
              "create-" + i, CommandKind.CREATE, workspace, now.minusSeconds(r.nextInt(2700))));
    }
    List<CreateAttempt> attempts = new ArrayList<>();
    int a = r.nextInt(6);
    for (int i = 0; i < a; i++) {
      CreateAttempt.Result result =
          r.nextInt(3) == 0
              ? (r.nextInt(8) == 0
                  ? CreateAttempt.Result.VALIDATION_FAILED
                  : CreateAttempt.Result.FAILED)
              : CreateAttempt.Result.SUCCEEDED;
      attempts.add(new CreateAttempt("a" + i, now.minusSeconds(r.nextInt(7200)), result));
    }
    attempts.sort(
        Comparator.comparing(CreateAttempt::completedAt).thenComparing(CreateAttempt::workspaceId));
    PresetStatus status =
        r.nextInt(6) == 0 ? PresetStatus.values()[r.nextInt(3)] : PresetStatus.NORMAL;
    return new PresetState(
        definition,
        prebuilds,
        commands,
        attempts,
        status,
        status != PresetStatus.NORMAL && r.nextBoolean(),
        r.nextInt(10) == 0,
        r.nextInt(8) == 0 ? now.minusSeconds(r.nextInt(7200)) : null,
        PresetCounters.ZERO,
        null,
        List.of());
  }
}
