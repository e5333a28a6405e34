package io.prebuilds.connect;

import java.util.Arrays;
import java.util.Optional;

/** How a claim ended, with the CloudEvents type that carries each outcome. */
enum ClaimOutcome {
  CLAIMED("claimed", "prebuilds.claim.claimed.v1"),
  NO_PREBUILD_AVAILABLE("no-prebuild-available", "prebuilds.claim.no-prebuild-available.v1"),
  CLAIM_FAILED("claim-failed", "prebuilds.claim.failed.v1");

  private final String label;
  private final String eventType;

  ClaimOutcome(String label, String eventType) {
    this.label = label;
    this.eventType = eventType;
  }

  /** The label in events and in the database enum {@code claim_outcome}. */
  String label() {
    return label;
  }

  String eventType() {
    return eventType;
  }

  static Optional<ClaimOutcome> fromEventType(String type) {
    return Arrays.stream(values()).filter(o -> o.eventType.equals(type)).findFirst();
  }
}
