package io.prebuilds.schemas.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a workspace build ended. */
public enum BuildStatus {
  SUCCEEDED("succeeded"),
  FAILED("failed"),
  CANCELED("canceled");

  private final String wire;

  BuildStatus(String wire) {
    this.wire = wire;
  }

  /** The JSON spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
