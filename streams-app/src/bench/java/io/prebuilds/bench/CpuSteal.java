package io.prebuilds.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How much of the machine's CPU time the hypervisor gave to other guests between two points: the
 * "steal" column of Linux's {@code /proc/stat}. The benchmark machines are small virtual machines
 * on a shared host; when the host is busy, a run loses a third of its CPU time or more without
 * anything on the machine being busier, and every figure of that run moves with it (the same drain
 * took 2 minutes and then 7 within one JVM). Reporting the stolen share beside each measurement
 * says which figures were taken on a machine that was not all there.
 */
public final class CpuSteal {

  private static final Path PROC_STAT = Path.of("/proc/stat");
  private static final int STEAL_FIELD = 8;

  private final long[] before;

  private CpuSteal(long[] before) {
    this.before = before;
  }

  public static CpuSteal start() {
    return new CpuSteal(read());
  }

  /**
   * The stolen share of all CPU time since {@link #start}, in per cent; NaN where {@code
   * /proc/stat} cannot be read (not Linux).
   */
  public double stolenPercent() {
    long[] now = read();
    if (before == null || now == null || now[1] <= before[1]) {
      return Double.NaN;
    }
    return 100.0 * (now[0] - before[0]) / (now[1] - before[1]);
  }

  /** The machine's stolen and total CPU ticks so far, or null. */
  private static long[] read() {
    List<String> lines;
    try {
      lines = Files.readAllLines(PROC_STAT);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
    if (lines.isEmpty() || !lines.get(0).startsWith("cpu ")) {
      return null;
    }
    String[] fields = lines.get(0).trim().split("\\s+");
    if (fields.length <= STEAL_FIELD) {
      return null;
    }
    long total = 0;
    // user nice system idle iowait irq softirq steal; guest time is already in user and nice
    for (int i = 1; i <= STEAL_FIELD; i++) {
      total += Long.parseLong(fields[i]);
    }
    return new long[] {Long.parseLong(fields[STEAL_FIELD]), total};
  }
}
