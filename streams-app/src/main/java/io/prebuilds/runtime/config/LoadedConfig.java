package io.prebuilds.runtime.config;

import java.util.List;

/** A valid configuration and the environment variables that were ignored on the way. */
public record LoadedConfig(AppConfig config, List<IgnoredVariable> ignoredVariables) {
  public LoadedConfig {
    ignoredVariables = List.copyOf(ignoredVariables);
  }
}
