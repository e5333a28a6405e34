package io.prebuilds.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Whose pause a slow second was: samples, once per second, what could have held the stream thread
 * (GC pauses, the whole JVM waking late, the stream thread's own CPU, Kafka's time blocked on the
 * producer and in transaction commits), so a benchmark can put them beside its slowest requests.
 *
 * <p>A 10 ms ticker measures how late it wakes: lateness seen by every thread alike is a stall of
 * the JVM (GC, safepoint) or of the machine (the OS ran something else), not of our code.
 */
public final class PauseSampler implements AutoCloseable {

  /** One second's sample; times in milliseconds. */
  public record Second(
      int second,
      double gcPauseMs,
      double maxLateMs,
      double streamThreadCpuMs,
      double processCpuMs,
      double kafkaWaitMs,
      Map<String, Double> cpuMsByThreadKind) {}

  private final long started = System.nanoTime();
  private final Supplier<Map<String, Double>> kafkaNanos;
  private final String applicationId;
  private final List<Second> seconds = new ArrayList<>();
  private final Thread ticker;
  private volatile boolean stopped;
  private volatile long maxLateNanos;

  /**
   * @param kafkaNanos running totals of Kafka's wait metrics, in nanoseconds, by metric
   * @param applicationId the Kafka Streams client whose stream threads' CPU is sampled
   */
  public PauseSampler(Supplier<Map<String, Double>> kafkaNanos, String applicationId) {
    this.kafkaNanos = kafkaNanos;
    this.applicationId = applicationId;
    this.ticker = new Thread(this::run, "bench-pause-sampler");
    ticker.setDaemon(true);
    ticker.start();
  }

  private void run() {
    double gc = gcPauseMillis();
    double thread = streamThreadMillis();
    double process = processMillis();
    double kafka = sum(kafkaNanos.get());
    ThreadCpu byKind = ThreadCpu.start();
    long nextSecond = started + 1_000_000_000L;
    while (!stopped) {
      long before = System.nanoTime();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
      long late = System.nanoTime() - before - 10_000_000L;
      maxLateNanos = Math.max(maxLateNanos, late);
      if (System.nanoTime() >= nextSecond) {
        double gcNow = gcPauseMillis();
        double threadNow = streamThreadMillis();
        double processNow = processMillis();
        double kafkaNow = sum(kafkaNanos.get());
        synchronized (seconds) {
          seconds.add(
              new Second(
                  seconds.size(),
                  gcNow - gc,
                  maxLateNanos / 1e6,
                  threadNow - thread,
                  processNow - process,
                  (kafkaNow - kafka) / 1e6,
                  inMillis(byKind.stop())));
        }
        byKind = ThreadCpu.start();
        gc = gcNow;
        thread = threadNow;
        process = processNow;
        kafka = kafkaNow;
        maxLateNanos = 0;
        nextSecond += 1_000_000_000L;
      }
    }
  }

  /** The samples so far, second 0 first (seconds counted from construction). */
  public List<Second> seconds() {
    synchronized (seconds) {
      return List.copyOf(seconds);
    }
  }

  /** When the sampler started, on {@link System#nanoTime}'s clock. */
  public long startedNanos() {
    return started;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    ticker.join();
  }

  private static Map<String, Double> inMillis(Map<String, Double> seconds) {
    Map<String, Double> millis = new TreeMap<>();
    seconds.forEach((kind, value) -> millis.put(kind, value * 1e3));
    return millis;
  }

  private static double sum(Map<String, Double> values) {
    return values.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Stop-the-world collections only: G1's concurrent cycle runs beside the application. */
  private static double gcPauseMillis() {
    double total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!gc.getName().contains("Concurrent")) {
        total += Math.max(0, gc.getCollectionTime());
      }
    }
    return total;
  }

  private double streamThreadMillis() {
    return ThreadCpu.streamThreadNanos(applicationId) / 1e6;
  }

  private static double processMillis() {
    return ThreadCpu.processNanos() / 1e6;
  }
}
