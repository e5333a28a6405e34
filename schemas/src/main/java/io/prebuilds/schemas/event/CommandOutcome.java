package io.prebuilds.schemas.event;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a worker reports about a command, or, for {@link #DISPATCHED} and {@link #WITHDRAWN}, what
 * the admission stage did with it (see {@code docs/backpressure.md}): workers never send those two.
 */
public enum CommandOutcome {
  SUCCEEDED("succeeded"),
  FAILED("failed"),
  REFUSED("refused"),
  /** The admission stage put the command on the command topic; its timeout starts now. */
  DISPATCHED("dispatched"),
  /** The admission stage dropped the queued command; it never reached a worker. */
  WITHDRAWN("withdrawn");

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
