package io.prebuilds.reconcile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The knobs of the decision core. {@link #defaults()} are Coder's: backoff interval 15 s, lookback
 * 1 h, failure hard limit 3.
 *
 * @param backoffInterval after failed creates, wait this long per failure in the lookback window
 * @param backoffLookback how far back failed create builds count toward backoff
 * @param failureHardLimit this many failed create builds in a row stop creates; 0 disables
 * @param commandTimeout a create or delete nobody answered within this stops blocking the pool
 * @param resyncInterval the longest an idle preset goes without being looked at again
 * @param resyncJitter each preset adds a stable share of this to its resync, so presets defined
 *     together do not all resync together
 * @param failedRetention failed prebuilds kept (newest first) for inspection; older ones are
 *     deleted
 * @throws IllegalArgumentException naming every invalid setting
 */
public record ReconcileConfig(
    Duration backoffInterval,
    Duration backoffLookback,
    int failureHardLimit,
    Duration commandTimeout,
    Duration resyncInterval,
    Duration resyncJitter,
    int failedRetention) {

  public ReconcileConfig {
    List<String> problems = new ArrayList<>();
    positive("backoffInterval", backoffInterval, problems);
    positive("backoffLookback", backoffLookback, problems);
    positive("commandTimeout", commandTimeout, problems);
    positive("resyncInterval", resyncInterval, problems);
    if (resyncJitter == null || resyncJitter.isNegative()) {
      problems.add("resyncJitter must be zero or positive, got " + resyncJitter);
    }
    if (failureHardLimit < 0) {
      problems.add("failureHardLimit must be >= 0 (0 disables it), got " + failureHardLimit);
    }
    if (failedRetention < 0) {
      problems.add("failedRetention must be >= 0, got " + failedRetention);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid reconcile configuration: " + String.join("; ", problems));
    }
  }

  /** Coder's defaults plus ours: command timeout 30 min, resync 1 h + up to 10 min jitter. */
  public static ReconcileConfig defaults() {
    return new ReconcileConfig(
        Duration.ofSeconds(15),
        Duration.ofHours(1),
        3,
        Duration.ofMinutes(30),
        Duration.ofHours(1),
        Duration.ofMinutes(10),
        1);
  }

  public ReconcileConfig withBackoffInterval(Duration value) {
    return new ReconcileConfig(
        value,
        backoffLookback,
        failureHardLimit,
        commandTimeout,
        resyncInterval,
        resyncJitter,
        failedRetention);
  }

  public ReconcileConfig withFailureHardLimit(int value) {
    return new ReconcileConfig(
        backoffInterval,
        backoffLookback,
        value,
        commandTimeout,
        resyncInterval,
        resyncJitter,
        failedRetention);
  }

  public ReconcileConfig withFailedRetention(int value) {
    return new ReconcileConfig(
        backoffInterval,
        backoffLookback,
        failureHardLimit,
        commandTimeout,
        resyncInterval,
        resyncJitter,
        value);
  }

  /**
   * How long after a decision an idle preset is looked at again: the resync interval plus this
   * preset's share of the jitter. {@link String#hashCode()} is specified by the language, so the
   * share is the same on every instance and after every restart.
   */
  public Duration resyncAfter(String presetId) {
    long jitterMillis = resyncJitter.toMillis();
    long share =
        jitterMillis == 0 ? 0 : Math.floorMod(presetId.hashCode() * 0x9E3779B1L, jitterMillis);
    return resyncInterval.plusMillis(share);
  }

  private static void positive(String name, Duration value, List<String> problems) {
    if (value == null || value.isZero() || value.isNegative()) {
      problems.add(name + " must be a positive duration, got " + value);
    }
  }
}
