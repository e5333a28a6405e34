package io.prebuilds.topology;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.prebuilds.bench.BenchArgs;
import io.prebuilds.bench.Samples;
import io.prebuilds.bench.Stopwatch;
import io.prebuilds.bench.TempDirectory;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;

/**
 * How long a template rollover holds the stream thread, unpaced against paced ({@link
 * DecisionPacer}), side by side in one JVM on the production topology in a {@link BenchDriver}.
 *
 * <p>A claim that arrives behind a rollover waits until the stream thread has handled the
 * rollover's input; with pacing, until it has handled the snapshots and one tick's share, since the
 * thread turns to newer input between ticks. So the figure that bounds a claim's wait is the
 * longest stretch: handling the snapshots (the burst), or the longest tick after it. Each
 * repetition defines {@code presets} presets on a fresh driver (every one decided, untimed), then
 * rolls the first {@code rollover} of them to version 2 (their templates' snapshots piped at once,
 * timed), then ticks every 100 ms of the driver's clock (each tick timed) until a tick decides
 * nothing more. Modes run round robin, after {@code warmup} untimed rounds.
 *
 * <p>The driver has no broker and commits after every input record, so the times are those of the
 * processing code, not of a deployment; the comparison between modes is the point.
 *
 * <pre>
 * mvn -DskipTests -pl streams-app -am verify -Dbench=streams-app \
 *   -Dbench.main=io.prebuilds.topology.RolloverBurst \
 *   -Dbench.args="presets=1000 rollover=100 reps=20 rates=0,200,100,50"
 * </pre>
 */
public final class RolloverBurst {

  private static final PrintStream out = System.out;
  private static final String PRESET_STATE = Topics.PRESET_STATE.name();

  private final EventCodec codec = EventCodec.create();
  private final int presets;
  private final int rollover;

  private RolloverBurst(int presets, int rollover) {
    this.presets = presets;
    this.rollover = rollover;
  }

  /** One repetition of one mode. */
  private record Run(
      Stopwatch.Elapsed burst,
      int decidedInBurst,
      long longestTickCpuNanos,
      int ticks,
      long totalCpuNanos) {}

  public static void main(String[] args) throws Exception {
    BenchArgs parsed =
        BenchArgs.parse(args, Set.of("presets", "rollover", "reps", "warmup", "rates"));
    int presets = parsed.integer("presets", 1_000);
    int rollover = parsed.integer("rollover", 100);
    int reps = parsed.integer("reps", 20);
    int warmup = parsed.integer("warmup", 3);
    List<Integer> rates = parsed.integers("rates", "0,200,100,50");
    int perTemplate = BenchPresets.PRESETS_PER_TEMPLATE;
    if (presets % perTemplate != 0 || rollover % perTemplate != 0 || rollover > presets) {
      throw new IllegalArgumentException(
          "presets and rollover must be multiples of " + perTemplate + ", rollover <= presets");
    }
    out.printf(
        Locale.ROOT,
        "# rollover burst: %,d presets, rollover of %,d, decisions/s %s (0 = unpaced), %d rounds"
            + " after %d warm-up rounds%n",
        presets,
        rollover,
        rates,
        reps,
        warmup);
    RolloverBurst bench = new RolloverBurst(presets, rollover);
    Map<Integer, List<Run>> runs = new LinkedHashMap<>();
    rates.forEach(rate -> runs.put(rate, new ArrayList<>()));
    for (int round = 0; round < warmup + reps; round++) {
      for (int rate : rates) {
        Run run = bench.run(rate);
        if (round >= warmup) {
          runs.get(rate).add(run);
        }
      }
    }
    report(runs);
  }

  private Run run(int decisionsPerSecond) throws Exception {
    TopologySettings settings =
        TopologySettings.defaults(1).withDecisionsPerSecond(decisionsPerSecond);
    try (TempDirectory dir = new TempDirectory("prebuilds-bench-rollover-");
        BenchDriver bench = new BenchDriver(settings, BenchPresets.NOW, dir.path())) {
      pipeTemplates(bench, presets, 1);
      untilQuiet(bench, settings.tick());
      bench.drain();

      Stopwatch burstWatch = Stopwatch.start();
      pipeTemplates(bench, rollover, 2);
      Stopwatch.Elapsed burst = burstWatch.stop();
      int decidedInBurst = published(bench);

      long longestTick = 0;
      long ticksCpu = 0;
      int ticks = 0;
      while (true) {
        Stopwatch tickWatch = Stopwatch.start();
        bench.driver.advanceWallClockTime(settings.tick());
        long cpu = tickWatch.stop().cpuNanos();
        if (published(bench) == 0) {
          break;
        }
        ticks++;
        ticksCpu += cpu;
        longestTick = Math.max(longestTick, cpu);
      }
      return new Run(burst, decidedInBurst, longestTick, ticks, burst.cpuNanos() + ticksCpu);
    }
  }

  /** The snapshots of the templates of the first {@code count} presets, in version {@code v}. */
  private void pipeTemplates(BenchDriver bench, int count, int version) {
    for (int t = 0; t < count / BenchPresets.PRESETS_PER_TEMPLATE; t++) {
      var template = E2eTraffic.template(t, version, BenchPresets.PRESETS_PER_TEMPLATE);
      bench.templates.pipeInput(
          template.data().templateId(), codec.encode(template), BenchPresets.NOW);
    }
  }

  /** Ticks until a tick publishes no preset state: every definition is decided. */
  private static void untilQuiet(BenchDriver bench, Duration tick) {
    do {
      bench.driver.advanceWallClockTime(tick);
    } while (published(bench) > 0);
  }

  /** Preset-state records published since the last call (each a preset decided), then drained. */
  private static int published(BenchDriver bench) {
    return bench.drain().getOrDefault(PRESET_STATE, 0);
  }

  private static void report(Map<Integer, List<Run>> runs) {
    out.printf(
        Locale.ROOT,
        "%n| decisions/s | decided in the burst | burst CPU ms (median) | burst wall ms (median) |"
            + " ticks after | longest tick CPU ms (median) | longest stretch CPU ms (median) |"
            + " total CPU ms (median) |%n|---:|---:|---:|---:|---:|---:|---:|---:|%n");
    runs.forEach(
        (rate, list) -> {
          Samples burstCpu = new Samples();
          Samples burstWall = new Samples();
          Samples longestTick = new Samples();
          Samples longestStretch = new Samples();
          Samples total = new Samples();
          for (Run run : list) {
            burstCpu.add(run.burst().cpuNanos());
            burstWall.add(run.burst().wallNanos());
            longestTick.add(run.longestTickCpuNanos());
            longestStretch.add(Math.max(run.burst().cpuNanos(), run.longestTickCpuNanos()));
            total.add(run.totalCpuNanos());
          }
          Run any = list.get(0);
          out.printf(
              Locale.ROOT,
              "| %s | %d | %s | %s | %d | %s | %s | %s |%n",
              rate == DecisionPacer.UNPACED ? "unpaced" : String.valueOf(rate),
              any.decidedInBurst(),
              Samples.millis(burstCpu.medianNanos()),
              Samples.millis(burstWall.medianNanos()),
              any.ticks(),
              Samples.millis(longestTick.medianNanos()),
              Samples.millis(longestStretch.medianNanos()),
              Samples.millis(total.medianNanos()));
        });
  }
}
