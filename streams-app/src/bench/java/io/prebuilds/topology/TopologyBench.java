package io.prebuilds.topology;

import java.util.Locale;
import java.util.Set;

import io.prebuilds.bench.BenchArgs;

/**
 * The topology benchmarks of issue 5 in one run: tick cost over a large preset store against a full
 * scan ({@link TickCost}), then events per second through the topology ({@link EventThroughput}).
 *
 * <pre>
 * mvn -DskipTests -pl streams-app -am verify -Dbench=streams-app \
 *   -Dbench.main=io.prebuilds.topology.TopologyBench \
 *   -Dbench.args="presets=1000000 reps=30 eventPresets=10000"
 * </pre>
 *
 * Arguments ({@code name=value}): {@code presets} in the tick benchmark's store (default
 * 1,000,000), {@code reps} measured ticks per scenario and mode (30), {@code warmup} ticks with 100
 * due before measuring (60), {@code burst} presets due at once (10,000), {@code scans} measured
 * passes of the full-scan baseline (3), {@code eventPresets} for the events benchmark (10,000)
 * after {@code eventWarmup} others (2,000), {@code only} = {@code tick} or {@code events} to run
 * one of them.
 */
public final class TopologyBench {

  private TopologyBench() {}

  public static void main(String[] args) {
    BenchArgs parsed =
        BenchArgs.parse(
            args,
            Set.of(
                "presets",
                "reps",
                "warmup",
                "burst",
                "scans",
                "eventPresets",
                "eventWarmup",
                "only"));
    String only = parsed.text("only", "all");
    if (!Set.of("all", "tick", "events").contains(only)) {
      throw new IllegalArgumentException("only must be tick or events, got '" + only + "'");
    }
    Runtime runtime = Runtime.getRuntime();
    System.out.printf(
        Locale.ROOT,
        "# topology benchmarks: Java %s, %d processors, max heap %d MiB%n",
        System.getProperty("java.version"),
        runtime.availableProcessors(),
        runtime.maxMemory() >> 20);
    if (!only.equals("events")) {
      new TickCost(
              parsed.integer("presets", 1_000_000),
              parsed.integer("reps", 30),
              parsed.integer("warmup", 60),
              parsed.integer("burst", 10_000),
              parsed.integer("scans", 3),
              System.out)
          .run();
    }
    if (!only.equals("tick")) {
      new EventThroughput(
              parsed.integer("eventPresets", 10_000),
              parsed.integer("eventWarmup", 2_000),
              System.out)
          .run();
    }
  }
}
