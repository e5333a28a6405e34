package io.prebuilds.schemas.event;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a build failed: transient failures are retried with backoff; a validation failure (no
 * workspace is made, e.g. bad parameters) stops creates until reset.
 */
public enum FailureKind {
  TRANSIENT("transient"),
  VALIDATION("validation");

  private final String wire;

  FailureKind(String wire) {
    this.wire = wire;
  }

  /** The JSON spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
