package io.prebuilds.runtime.config;

import java.util.Map;
import java.util.Optional;

/**
 * The four places settings come from, lowest precedence first: {@code defaults} (on top of each
 * {@link Setting}'s own, e.g. the state directory or {@code dev}'s single-broker values), the
 * properties file, the process environment, and command-line flags (each with its origin, such as
 * {@code flag --http-port}).
 */
public record ConfigSources(
    Map<String, String> defaults,
    Optional<String> fileName,
    Map<String, String> file,
    Map<String, String> environment,
    Map<String, ConfigValue> flags) {

  public ConfigSources {
    defaults = Map.copyOf(defaults);
    file = Map.copyOf(file);
    environment = Map.copyOf(environment);
    flags = Map.copyOf(flags);
  }
}
