package io.prebuilds.reconcile;

import java.util.Objects;

/** A preset state after an input was applied, and what applying it did. */
public record Applied<O>(PresetState state, O outcome) {

  public Applied {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(outcome, "outcome");
  }
}
