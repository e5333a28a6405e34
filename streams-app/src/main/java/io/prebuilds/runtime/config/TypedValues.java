package io.prebuilds.runtime.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Reads settings with a type and a range; every failure names the key and the value's origin. */
final class TypedValues {
  private final Map<String, ConfigValue> values;

  TypedValues(Map<String, ConfigValue> values) {
    this.values = values;
  }

  Optional<ConfigValue> optional(Setting setting) {
    return Optional.ofNullable(values.get(setting.key())).filter(value -> !value.value().isBlank());
  }

  String string(Setting setting) {
    return optional(setting)
        .map(ConfigValue::value)
        .map(String::strip)
        .orElseThrow(
            () ->
                new ConfigException(
                    setting.key(),
                    "%s: required; set it in the config file, with %s or with --set %s=..."
                        .formatted(setting.key(), setting.environmentVariable(), setting.key())));
  }

  int integer(Setting setting, int min, int max) {
    var raw = string(setting);
    int parsed;
    try {
      parsed = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw invalid(setting, "\"%s\" is not an integer".formatted(raw));
    }
    if (parsed < min || parsed > max) {
      throw invalid(
          setting, "%d is out of range; it must be between %d and %d".formatted(parsed, min, max));
    }
    return parsed;
  }

  Duration seconds(Setting setting, int min) {
    return Duration.ofSeconds(integer(setting, min, Integer.MAX_VALUE));
  }

  /** One of {@code choices} (insertion-ordered, so the message lists them in a stable order). */
  <T> T oneOf(Setting setting, Map<String, T> choices) {
    var raw = string(setting);
    var chosen = choices.get(raw);
    if (chosen == null) {
      throw invalid(
          setting,
          "\"%s\" is not supported; use one of %s"
              .formatted(raw, String.join(", ", choices.keySet())));
    }
    return chosen;
  }

  ConfigException invalid(Setting setting, String problem) {
    var origin = optional(setting).map(ConfigValue::origin).orElse("default");
    return new ConfigException(
        setting.key(), "%s: %s (from %s)".formatted(setting.key(), problem, origin));
  }
}
