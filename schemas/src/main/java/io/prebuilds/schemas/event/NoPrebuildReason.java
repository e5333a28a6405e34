package io.prebuilds.schemas.event;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a claim found no prebuild: none ready, a preset the reconciler does not know, or a request
 * that arrived after its deadline.
 */
public enum NoPrebuildReason {
  NONE_ELIGIBLE("none-eligible"),
  UNKNOWN_PRESET("unknown-preset"),
  DEADLINE_PASSED("deadline-passed");

  private final String wire;

  NoPrebuildReason(String wire) {
    this.wire = wire;
  }

  /** The JSON spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
