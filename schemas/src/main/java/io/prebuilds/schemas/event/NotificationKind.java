package io.prebuilds.schemas.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a notification is about. */
public enum NotificationKind {
  FAILURE_LIMIT_REACHED("failure-limit-reached"),
  RESOURCE_REPLACEMENTS("resource-replacements"),
  CLAIM_FAILED("claim-failed");

  private final String wire;

  NotificationKind(String wire) {
    this.wire = wire;
  }

  /** The JSON spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }
}
