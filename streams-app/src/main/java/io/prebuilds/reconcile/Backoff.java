package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.List;

/**
 * Coder's create backoff: if one of the {@code desired} most recent create builds failed inside the
 * lookback window, no creates until the last such failure plus {@code interval × failures in the
 * window}. Linear, not exponential. A failure is in the window while {@code now < completedAt +
 * lookback}.
 *
 * @param windowChangeAt when the oldest counted failure leaves the window (the end moves then)
 */
record Backoff(Instant until, int failedInLookback, Instant lastFailedAt, Instant windowChangeAt) {

  /** The active backoff, or null if creates may go ahead at {@code now}. */
  static Backoff of(
      List<CreateAttempt> attempts, int desired, Instant now, ReconcileConfig config) {
    if (desired <= 0 || attempts.isEmpty()) {
      return null;
    }
    Instant lastFailedAt = null;
    for (int i = Math.max(attempts.size() - desired, 0); i < attempts.size(); i++) {
      CreateAttempt attempt = attempts.get(i);
      if (attempt.result().failed() && inWindow(attempt, now, config)) {
        lastFailedAt = attempt.completedAt(); // attempts are oldest first: the last is the latest
      }
    }
    if (lastFailedAt == null) {
      return null;
    }
    int failed = 0;
    Instant windowChangeAt = null;
    for (CreateAttempt attempt : attempts) {
      if (attempt.result().failed() && inWindow(attempt, now, config)) {
        failed++;
        windowChangeAt =
            Reconciler.earliest(
                windowChangeAt, attempt.completedAt().plus(config.backoffLookback()));
      }
    }
    Instant until = lastFailedAt.plus(config.backoffInterval().multipliedBy(failed));
    if (!now.isBefore(until)) {
      return null;
    }
    return new Backoff(until, failed, lastFailedAt, windowChangeAt);
  }

  private static boolean inWindow(CreateAttempt attempt, Instant now, ReconcileConfig config) {
    return now.isBefore(attempt.completedAt().plus(config.backoffLookback()));
  }
}
