package io.prebuilds.runtime.config;

/**
 * A setting is missing or invalid. The message is one line that names the key and where its value
 * came from, so the CLI can print it as is (exit code 2) instead of a stack trace.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The setting (or file, for an unreadable config file) the message is about. */
  public String key() {
    return key;
  }
}
