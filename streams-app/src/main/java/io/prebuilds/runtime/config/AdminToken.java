package io.prebuilds.runtime.config;

/**
 * The bearer token that admin actions require. It never appears in {@link #toString()}, so logging
 * a config object cannot leak it.
 */
public record AdminToken(String value) {
  @Override
  public String toString() {
    return "AdminToken[***]";
  }
}
