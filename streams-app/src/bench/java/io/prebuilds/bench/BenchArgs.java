package io.prebuilds.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code name=value} arguments of a bench harness ({@code -Dbench.args="presets=1000000 reps=30"}),
 * with defaults. Unknown names fail at once, naming the known ones, so a typo never silently runs
 * the default size.
 */
public final class BenchArgs {

  private final Map<String, String> values;

  private BenchArgs(Map<String, String> values) {
    this.values = values;
  }

  public static BenchArgs parse(String[] args, Set<String> known) {
    Map<String, String> values = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "argument '" + arg + "' is not name=value; known names: " + known);
      }
      String name = arg.substring(0, eq);
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown argument '" + name + "'; known names: " + known);
      }
      values.put(name, arg.substring(eq + 1));
    }
    return new BenchArgs(values);
  }

  public int integer(String name, int defaultValue) {
    String value = values.get(name);
    return value == null ? defaultValue : parseInteger(name, value);
  }

  public String text(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  /** A comma-separated list ({@code commitMs=100,20}): one value per configuration of a run. */
  public List<String> texts(String name, String defaultValue) {
    return Arrays.stream(text(name, defaultValue).split(",")).map(String::trim).toList();
  }

  /** A comma-separated list of integers, each read as {@link #integer} reads one. */
  public List<Integer> integers(String name, String defaultValue) {
    return texts(name, defaultValue).stream().map(value -> parseInteger(name, value)).toList();
  }

  private static int parseInteger(String name, String value) {
    try {
      return Integer.parseInt(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'", e);
    }
  }
}
