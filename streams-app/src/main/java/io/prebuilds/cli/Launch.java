package io.prebuilds.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.config.ConfigLoader;
import io.prebuilds.runtime.config.ConfigSources;
import io.prebuilds.runtime.config.ConfigValue;
import io.prebuilds.runtime.config.Setting;

/** Config loading shared by the service commands. */
final class Launch {
  private static final Logger log = LoggerFactory.getLogger(Launch.class);

  private Launch() {}

  /**
   * The configuration of a command that talks to an existing cluster ({@code run}, {@code topics}):
   * the state directory defaults to one under the temp directory, and {@code --bootstrap-servers},
   * when given, wins over every other source.
   */
  static AppConfig clusterConfig(
      ConfigOptions options,
      Map<String, String> defaults,
      Map<String, String> environment,
      String bootstrapServers) {
    var all = new HashMap<>(defaults);
    all.putIfAbsent(
        Setting.STATE_DIR.key(),
        Path.of(System.getProperty("java.io.tmpdir"), "prebuilds-streams").toString());
    Map<String, ConfigValue> forced =
        bootstrapServers == null
            ? Map.of()
            : Map.of(
                Setting.BOOTSTRAP_SERVERS.key(),
                new ConfigValue(bootstrapServers, "flag --bootstrap-servers"));
    return config(options, all, environment, forced);
  }

  /**
   * Loads the config: {@code defaults} (the command's own), the file and flags from {@code
   * options}, the environment, then {@code forced} (settings the command must own, such as {@code
   * dev}'s bootstrap servers). Ignored environment variables are logged, one line each.
   */
  static AppConfig config(
      ConfigOptions options,
      Map<String, String> defaults,
      Map<String, String> environment,
      Map<String, ConfigValue> forced) {
    var flags = new LinkedHashMap<>(options.flags());
    flags.putAll(forced);
    var loaded =
        ConfigLoader.load(
            new ConfigSources(defaults, options.fileName(), options.file(), environment, flags));
    loaded
        .ignoredVariables()
        .forEach(
            variable ->
                log.atInfo()
                    .addKeyValue("variable", variable.name())
                    .addKeyValue("reason", variable.reason())
                    .log("ignoring environment variable"));
    log.atInfo().addKeyValue("config", loaded.config()).log("configuration loaded");
    return loaded.config();
  }
}
