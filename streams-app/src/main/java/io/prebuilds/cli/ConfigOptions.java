package io.prebuilds.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import picocli.CommandLine.Option;

import io.prebuilds.runtime.config.ConfigLoader;
import io.prebuilds.runtime.config.ConfigValue;
import io.prebuilds.runtime.config.Setting;

/** The config options every service command takes: a properties file and flag overrides. */
final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file (our prebuilds.* settings and any Kafka setting).")
  Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Set any setting; wins over the file and the environment. Repeatable.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description = "HTTP port for /metrics, /healthz, /readyz and the API (0: any free port).")
  Integer httpPort;

  Optional<String> fileName() {
    return Optional.ofNullable(configFile).map(Path::toString);
  }

  Map<String, String> file() {
    return configFile == null ? Map.of() : ConfigLoader.readFile(configFile);
  }

  /** The flags as settings, each with its origin for error messages. */
  Map<String, ConfigValue> flags() {
    var flags = new LinkedHashMap<String, ConfigValue>();
    settings.forEach((key, value) -> flags.put(key, new ConfigValue(value, "flag --set " + key)));
    if (httpPort != null) {
      flags.put(Setting.HTTP_PORT.key(), new ConfigValue(httpPort.toString(), "flag --http-port"));
    }
    return flags;
  }
}
