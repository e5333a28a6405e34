package io.prebuilds.reconcile;

/**
 * Whether the preset may create prebuilds. Anything but NORMAL stops creates (deletes go on) until
 * an operator resets the preset or a new template version brings new presets.
 */
public enum PresetStatus {
  NORMAL("normal"),
  /** The last {@code failureHardLimit} create builds all failed. */
  HARD_LIMITED("hard_limited"),
  /** A create was refused as invalid: retrying cannot help. */
  VALIDATION_FAILED("validation_failed");

  private final String wireName;

  PresetStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The name used on the preset-state topic and in PostgreSQL. */
  public String wireName() {
    return wireName;
  }
}
