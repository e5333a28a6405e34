package io.prebuilds.bench;

/** Wall-clock and CPU {@link Samples} of the same repeated section. */
public final class Timings {

  private final Samples wall = new Samples();
  private final Samples cpu = new Samples();

  public void add(Stopwatch.Elapsed elapsed) {
    wall.add(elapsed.wallNanos());
    cpu.add(elapsed.cpuNanos());
  }

  public Samples wall() {
    return wall;
  }

  public Samples cpu() {
    return cpu;
  }

  public int count() {
    return wall.count();
  }
}
