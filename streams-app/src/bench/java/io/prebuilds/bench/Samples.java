package io.prebuilds.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Durations measured one by one (nanoseconds), summarised the way the reports need them: median for
 * ratios (robust against a GC pause or a RocksDB compaction on a shared machine), p90 and max to
 * show the tail.
 */
public final class Samples {

  private long[] nanos = new long[16];
  private int size;

  public void add(long elapsedNanos) {
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = elapsedNanos;
  }

  public int count() {
    return size;
  }

  public long totalNanos() {
    long total = 0;
    for (int i = 0; i < size; i++) {
      total += nanos[i];
    }
    return total;
  }

  public long medianNanos() {
    return percentileNanos(50);
  }

  /** Nearest-rank percentile. */
  public long percentileNanos(int percent) {
    if (size == 0) {
      throw new IllegalStateException("no samples");
    }
    long[] sorted = Arrays.copyOf(nanos, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percent / 100.0 * size);
    return sorted[Math.max(0, rank - 1)];
  }

  public long maxNanos() {
    return percentileNanos(100);
  }

  /** Milliseconds with three decimals, locale-independent. */
  public static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }
}
