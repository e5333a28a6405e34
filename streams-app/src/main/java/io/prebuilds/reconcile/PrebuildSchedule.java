package io.prebuilds.reconcile;

import java.util.Objects;

/**
 * One entry of a preset's autoscaling schedule: while {@code cron} matches, the preset wants {@code
 * desiredInstances} prebuilds instead of its default.
 *
 * <p>The cron expression is read as a time <em>range</em>, as Coder does: {@code * 9-18 * * 1-5}
 * means weekdays from 09:00:00 to 18:59:59 in the preset's scheduling timezone. Minute,
 * day-of-month and month must be {@code *}. The text is kept as given; it is parsed (and rejected
 * with a diagnostic if invalid) when the desired count is computed, so a bad schedule never stops a
 * definition from being stored.
 */
public record PrebuildSchedule(String cron, int desiredInstances) {

  public PrebuildSchedule {
    Objects.requireNonNull(cron, "cron");
  }
}
