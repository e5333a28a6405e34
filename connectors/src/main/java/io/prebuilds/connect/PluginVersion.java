package io.prebuilds.connect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The build's version, which Connect shows for the plugin (filtered in by Maven). */
final class PluginVersion {

  static final String VALUE = load();

  private PluginVersion() {}

  private static String load() {
    try (InputStream in = PluginVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the plugin");
      }
      var properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
