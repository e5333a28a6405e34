package io.prebuilds.schemas.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a worker reports about a command. */
public enum CommandOutcome {
  SUCCEEDED("succeeded"),
  FAILED("failed"),
  REFUSED("refused");

  private final String wire;

  CommandOutcome(String wire) {
    this.wire = wire;
  }

  /** The JSON spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
