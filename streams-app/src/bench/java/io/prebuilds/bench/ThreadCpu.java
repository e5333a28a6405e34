package io.prebuilds.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a JVM's CPU went between two points, by kind of thread: broker request handlers, stream
 * threads, producer I/O and so on (names with their numbers and ids folded), plus what no Java
 * thread accounts for (RocksDB's native background threads, the JIT, GC). On a machine with two
 * cores shared by the broker and the client, this says whether the stream thread or the broker is
 * the limit.
 */
public final class ThreadCpu {

  private static final Pattern NUMBERS =
      Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|\\d+");

  private final Map<Long, Long> before;
  private final Map<Long, String> names = new HashMap<>();
  private final long processBefore;
  private final long gcBefore;
  private final long jitBefore;

  private ThreadCpu(Map<Long, Long> before, long processBefore) {
    this.before = before;
    this.processBefore = processBefore;
    this.gcBefore = gcMillis();
    this.jitBefore = jitMillis();
  }

  public static ThreadCpu start() {
    return new ThreadCpu(perThread(new HashMap<>()), processNanos());
  }

  /**
   * CPU seconds by kind of thread since {@link #start}; "(native threads, GC, JIT)" is the
   * process's CPU no Java thread accounts for, and the GC and JIT times (wall-clock, from their
   * MXBeans) hint at what it was.
   */
  public Map<String, Double> stop() {
    Map<Long, Long> after = perThread(names);
    Map<String, Double> byKind = new TreeMap<>();
    long threads = 0;
    for (Map.Entry<Long, Long> entry : after.entrySet()) {
      long delta = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
      threads += delta;
      byKind.merge(kind(names.get(entry.getKey())), delta / 1e9, Double::sum);
    }
    byKind.put("(native threads, GC, JIT)", (processNanos() - processBefore - threads) / 1e9);
    byKind.put("(GC time, wall)", (gcMillis() - gcBefore) / 1e3);
    byKind.put("(JIT compilation time, wall)", (jitMillis() - jitBefore) / 1e3);
    return byKind;
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(gc -> Math.max(0, gc.getCollectionTime()))
        .sum();
  }

  private static long jitMillis() {
    return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  }

  static String kind(String name) {
    return NUMBERS.matcher(name).replaceAll("#");
  }

  private static Map<Long, Long> perThread(Map<Long, String> names) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        cpu.put(info.getThreadId(), Math.max(0, threads.getThreadCpuTime(info.getThreadId())));
        names.put(info.getThreadId(), info.getThreadName());
      }
    }
    return cpu;
  }

  /** The CPU time this JVM has used so far, in nanoseconds. */
  public static long processNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The CPU time so far of one Kafka Streams client's stream threads (their names start with its
   * application id; its producers' I/O threads are left out), in nanoseconds.
   */
  public static long streamThreadNanos(String applicationId) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null
          && info.getThreadName().startsWith(applicationId)
          && info.getThreadName().contains("StreamThread")
          && !info.getThreadName().contains("producer")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }
}
