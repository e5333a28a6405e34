package io.prebuilds.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Wall-clock and CPU time of the calling thread over one measured section.
 *
 * <p>Both, because the benchmark machine is shared: wall time is what an operator waits for, but on
 * a busy machine it also counts the time other processes held the cores; the thread's CPU time does
 * not, so ratios of CPU times stay meaningful under load. CPU time leaves out work the thread waits
 * for on other threads (RocksDB flushes and compactions run on RocksDB's own threads).
 */
public final class Stopwatch {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final long wallStart;
  private final long cpuStart;

  private Stopwatch() {
    this.wallStart = System.nanoTime();
    this.cpuStart = THREADS.getCurrentThreadCpuTime();
  }

  public static Stopwatch start() {
    return new Stopwatch();
  }

  public Elapsed stop() {
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
    return new Elapsed(System.nanoTime() - wallStart, cpu);
  }

  /** One measured section: wall-clock and thread CPU nanoseconds. */
  public record Elapsed(long wallNanos, long cpuNanos) {}
}
