package io.prebuilds.schemas.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a claim was decided. */
public enum ClaimOutcome {
  CLAIMED("claimed"),
  NO_PREBUILD_AVAILABLE("no-prebuild-available"),
  CLAIM_FAILED("claim-failed");

  private final String wire;

  ClaimOutcome(String wire) {
    this.wire = wire;
  }

  /** The JSON spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
