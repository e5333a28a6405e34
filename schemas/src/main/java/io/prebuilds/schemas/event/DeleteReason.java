package io.prebuilds.schemas.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why the reconciler deletes a prebuild. */
public enum DeleteReason {
  EXPIRED("expired"),
  EXTRANEOUS("extraneous"),
  OUTDATED("outdated"),
  TEMPLATE_DELETED("template-deleted"),
  STOPPED("stopped"),
  FAILED("failed"),
  CANCELED("canceled"),
  ORPHANED("orphaned");

  private final String wire;

  DeleteReason(String wire) {
    this.wire = wire;
  }

  /** The JSON spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
