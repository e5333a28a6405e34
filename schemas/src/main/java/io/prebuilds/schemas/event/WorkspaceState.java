package io.prebuilds.schemas.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** The state of a workspace as a provisioner sees it. */
public enum WorkspaceState {
  RUNNING("running"),
  STOPPED("stopped"),
  FAILED("failed"),
  CANCELED("canceled"),
  STARTING("starting"),
  STOPPING("stopping"),
  DELETING("deleting");

  private final String wire;

  WorkspaceState(String wire) {
    this.wire = wire;
  }

  /** The JSON spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
