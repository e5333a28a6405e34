package io.prebuilds.connect;

import java.util.Arrays;
import java.util.Optional;

/** A preset's status as the read model's {@code prebuild_status} enum stores it. */
enum PrebuildStatus {
  NORMAL("normal"),
  HARD_LIMITED("hard_limited"),
  VALIDATION_FAILED("validation_failed");

  private final String label;

  PrebuildStatus(String label) {
    this.label = label;
  }

  /** The label in events and in the database enum. */
  String label() {
    return label;
  }

  static Optional<PrebuildStatus> fromLabel(String label) {
    return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
  }
}
