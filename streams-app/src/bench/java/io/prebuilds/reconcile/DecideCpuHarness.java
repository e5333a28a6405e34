package io.prebuilds.reconcile;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Locale;

import io.prebuilds.bench.Machine;

/**
 * Decisions per second of CPU time on one thread, for the {@link DecideBenchmark} scenarios.
 *
 * <p>JMH reports wall-clock throughput, which on a shared machine measures the machine's load as
 * much as the code. This harness divides the decisions made by the thread's own CPU time, so the
 * figure answers "how many decisions can one core make" even when other processes compete for it.
 * Arguments: seconds per scenario (default 10).
 */
public final class DecideCpuHarness {

  private DecideCpuHarness() {}

  public static void main(String[] args) {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    System.out.println("# machine: " + Machine.describe());
    DecideBenchmark benchmark = new DecideBenchmark();
    benchmark.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String[] scenarios = {"typical", "typicalWithActions", "large"};
    for (int round = 0; round < 2; round++) {
      for (String scenario : scenarios) {
        long decisions = 0;
        long sink = 0;
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallEnd = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < wallEnd) {
          for (int i = 0; i < 1000; i++) {
            Decision decision =
                switch (scenario) {
                  case "typical" -> benchmark.typical();
                  case "typicalWithActions" -> benchmark.typicalWithActions();
                  default -> benchmark.large();
                };
            sink += decision.actions().size();
          }
          decisions += 1000;
        }
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "%s %-20s %,12.0f decisions per CPU-second (%,d decisions, %.1f s CPU, %d actions)%n",
            round == 0 ? "warm-up " : "measured",
            scenario,
            decisions / cpuSeconds,
            decisions,
            cpuSeconds,
            sink);
      }
    }
    System.out.println("at " + Instant.now());
  }
}
