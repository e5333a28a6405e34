package io.prebuilds.runtime.config;

/**
 * When a start is a rebuild ({@code prebuilds.rebuild}): the input already in the topics only
 * rebuilds state, without commands, notifications or claim results, until each task has caught up.
 */
public enum RebuildMode {
  /**
   * A rebuild when the inputs hold records and the consumer group consumed none of them (no
   * committed offset past the start of an input partition: a new application id, or {@code
   * kafka-streams-application-reset}, which commits the earliest offsets).
   */
  AUTO("auto"),
  /**
   * Always a rebuild: whatever the inputs hold at start-up counts as already answered, even past
   * committed offsets (e.g. after restoring topics from a backup and resetting offsets by hand).
   */
  ALWAYS("always"),
  /** Never a rebuild: every record is decided and answered as it is read. */
  NEVER("never");

  private final String configValue;

  RebuildMode(String configValue) {
    this.configValue = configValue;
  }

  /** The value of {@code prebuilds.rebuild}. */
  public String configValue() {
    return configValue;
  }
}
