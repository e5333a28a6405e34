package io.prebuilds.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of {@link Reconciler#decide} on one thread.
 *
 * <p>Every preset has a TTL and two schedules in Europe/Berlin, and is decided at 1024 instants
 * spread over a week (so schedules, zone rules and the next boundary are computed every time).
 * {@code typical}: 5 ready prebuilds and every schedule wants 5, so the pool is reconciled at every
 * instant, as most decisions find it, and the decision has no actions. {@code typicalWithActions}:
 * 6 prebuilds and a create (timed out after the first half hour) against 2, 3 or 6, so most
 * decisions delete or create up to 4 and pay for their command ids. {@code large}: 199 prebuilds
 * and a create against 150, 180 or 200 (up to 49 actions).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecideBenchmark {

  private static final Instant MONDAY = Instant.parse("2025-06-02T00:00:00Z");
  private static final int INSTANTS = 1024;

  private final ReconcileConfig config = ReconcileConfig.defaults();
  private final Trigger trigger = Trigger.event("/provisioner/eu-1", "7f1c9a2e-build-completed");
  private final Instant[] instants = new Instant[INSTANTS];
  private PresetState typical;
  private PresetState typicalWithActions;
  private PresetState large;
  private int next;

  @Setup
  public void setUp() {
    Random random = new Random(42);
    for (int i = 0; i < INSTANTS; i++) {
      instants[i] = MONDAY.plusSeconds(random.nextInt(7 * 24 * 3600));
    }
    typical = state("typical", 5, false, 5, 5, 5, random);
    typicalWithActions = state("typical-with-actions", 6, true, 2, 6, 3, random);
    large = state("large", 199, true, 150, 200, 180, random);
  }

  private static PresetState state(
      String id,
      int prebuilds,
      boolean creating,
      int byDefault,
      int officeHours,
      int evenings,
      Random random) {
    PresetDefinition definition =
        new PresetDefinition(
            id,
            "preset " + id,
            "template-1",
            "docker",
            "version-7",
            "org-1",
            "acme",
            true,
            false,
            false,
            byDefault,
            List.of(
                new PrebuildSchedule("* 8-18 * * 1-5", officeHours),
                new PrebuildSchedule("* 19-22 * * 1-5", evenings)),
            "Europe/Berlin",
            Duration.ofDays(8),
            null,
            new LifecycleDefaults("CRON_TZ=Europe/Berlin 30 8 * * 1-5", Duration.ofHours(8)),
            List.of(new TemplateAdmin("admin-1", "alice")));
    List<Prebuild> pool = new ArrayList<>();
    for (int i = 0; i < prebuilds; i++) {
      Instant createdAt = MONDAY.minusSeconds(random.nextInt(24 * 3600));
      pool.add(
          new Prebuild(
              id + "-w" + i,
              "prebuild-" + i,
              1,
              createdAt,
              BuildTransition.START,
              BuildStatus.SUCCEEDED,
              "version-7",
              true,
              null,
              createdAt,
              createdAt));
    }
    List<InFlightCommand> commands =
        creating
            ? List.of(new InFlightCommand("create-1", CommandKind.CREATE, id + "-new", MONDAY))
            : List.of();
    List<CreateAttempt> attempts =
        List.of(
            new CreateAttempt(
                id + "-w0", MONDAY.minusSeconds(7200), CreateAttempt.Result.SUCCEEDED),
            new CreateAttempt(
                id + "-w1", MONDAY.minusSeconds(3600), CreateAttempt.Result.SUCCEEDED));
    return new PresetState(
        definition,
        pool,
        commands,
        attempts,
        PresetStatus.NORMAL,
        false,
        false,
        null,
        PresetCounters.ZERO,
        null,
        List.of());
  }

  @Benchmark
  public Decision typical() {
    return Reconciler.decide(typical, trigger, instants[next++ & (INSTANTS - 1)], config);
  }

  @Benchmark
  public Decision typicalWithActions() {
    return Reconciler.decide(
        typicalWithActions, trigger, instants[next++ & (INSTANTS - 1)], config);
  }

  @Benchmark
  public Decision large() {
    return Reconciler.decide(large, trigger, instants[next++ & (INSTANTS - 1)], config);
  }
}
