package io.prebuilds.runtime.demo;

import java.time.Duration;

/**
 * How the demo workload behaves. The defaults fill a pool within seconds and show every kind of
 * outcome within a minute or two, cheaply.
 *
 * @param buildTime how long a create build takes (each build adds up to a second of jitter)
 * @param failureRate share of create builds that fail (transiently), 0 to 1
 * @param claimInterval a user claims a prebuild this often
 * @param firstClaimAfter the first claim waits this long, so there is a pool to claim from
 * @param inventoryInterval how often the provisioner sends inventory snapshots
 * @param settle the inventory leaves out workspaces that changed more recently than this, and is
 *     dated that far back, so it never races the build events it summarises
 * @param driftingClaim the claim build with this number (1 = the first) shows plan drift
 * @param seed seeds the failures, so a run is repeatable
 */
public record DemoSettings(
    Duration buildTime,
    double failureRate,
    Duration claimInterval,
    Duration firstClaimAfter,
    Duration inventoryInterval,
    Duration settle,
    int driftingClaim,
    long seed) {

  public DemoSettings {
    if (failureRate < 0 || failureRate > 1) {
      throw new IllegalArgumentException("failureRate must be between 0 and 1, got " + failureRate);
    }
    if (driftingClaim < 1) {
      throw new IllegalArgumentException("driftingClaim must be >= 1, got " + driftingClaim);
    }
  }

  public static DemoSettings defaults() {
    return new DemoSettings(
        Duration.ofSeconds(3),
        0.1,
        Duration.ofSeconds(8),
        Duration.ofSeconds(20),
        Duration.ofSeconds(20),
        Duration.ofSeconds(5),
        2,
        42);
  }

  public DemoSettings withFailureRate(double value) {
    return new DemoSettings(
        buildTime,
        value,
        claimInterval,
        firstClaimAfter,
        inventoryInterval,
        settle,
        driftingClaim,
        seed);
  }

  public DemoSettings withClaims(Duration first, Duration interval) {
    return new DemoSettings(
        buildTime, failureRate, interval, first, inventoryInterval, settle, driftingClaim, seed);
  }

  public DemoSettings withBuildTime(Duration value) {
    return new DemoSettings(
        value,
        failureRate,
        claimInterval,
        firstClaimAfter,
        inventoryInterval,
        settle,
        driftingClaim,
        seed);
  }
}
