package io.prebuilds.schemas.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** The transition a workspace build performed. */
public enum Transition {
  START("start"),
  STOP("stop"),
  DELETE("delete");

  private final String wire;

  Transition(String wire) {
    this.wire = wire;
  }

  /** The JSON spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
