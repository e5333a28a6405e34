package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * What made the reconciler look at a preset: an input event, identified as CloudEvents do by {@code
 * (source, id)}, or a due time the preset scheduled for itself.
 *
 * <p>Command ids are derived from it, so replaying the same input after a failover yields the same
 * commands and workers can drop the duplicates.
 */
public record Trigger(String source, String id) {

  /** The source of every timer trigger. */
  public static final String TIMER_SOURCE = "prebuilds-streams/timer";

  public Trigger {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(id, "id");
  }

  /** The trigger of an input event. */
  public static Trigger event(String source, String id) {
    return new Trigger(source, id);
  }

  /** The trigger of a stored due time firing; the same due time always gives the same trigger. */
  public static Trigger timer(Instant dueAt) {
    return new Trigger(TIMER_SOURCE, dueAt.toString());
  }
}
