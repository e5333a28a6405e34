package io.prebuilds.connect;

import java.time.Duration;
import java.time.Instant;

/**
 * Keeps an outage of PostgreSQL from flooding the log: of the failed attempts to write a batch, the
 * first is worth a warning, then one per quiet period; the recovery is reported once with the
 * number of attempts it took.
 */
final class OutageLog {

  private final Duration quietPeriod;
  private int failedAttempts;
  private Instant lastWarnedAt;

  OutageLog(Duration quietPeriod) {
    this.quietPeriod = quietPeriod;
  }

  /** Counts a failed attempt at {@code now}; true if this one should be logged as a warning. */
  boolean failed(Instant now) {
    failedAttempts++;
    if (lastWarnedAt == null || !now.isBefore(lastWarnedAt.plus(quietPeriod))) {
      lastWarnedAt = now;
      return true;
    }
    return false;
  }

  int failedAttempts() {
    return failedAttempts;
  }

  /** Ends the outage; returns how many attempts had failed (0 if there was none). */
  int recovered() {
    int attempts = failedAttempts;
    failedAttempts = 0;
    lastWarnedAt = null;
    return attempts;
  }
}
