package io.prebuilds.schemas.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** The preset's reconciliation status, as Coder's {@code prebuild_status}. */
public enum PresetStatus {
  NORMAL("normal"),
  HARD_LIMITED("hard_limited"),
  VALIDATION_FAILED("validation_failed");

  private final String wire;

  PresetStatus(String wire) {
    this.wire = wire;
  }

  /** The JSON spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
