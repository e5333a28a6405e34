package io.prebuilds.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which machine a run's figures came from. The benchmark machines are virtual machines of one size
 * (2 cores) but not of one processor: runs on an AMD EPYC host and on an Intel Xeon host of the
 * same size gave the same code 2–3× different CPU costs, which the figures alone cannot tell from a
 * regression. Every harness prints this line first, so figures are compared only within one
 * processor.
 */
public final class Machine {

  private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

  private Machine() {}

  /** Processor model and nominal clock, cores, Java version and vendor, on one line. */
  public static String describe() {
    return String.format(
        Locale.ROOT,
        "%s, %d cores, Java %s (%s)",
        processor(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        System.getProperty("java.vendor"));
  }

  private static String processor() {
    List<String> lines;
    try {
      lines = Files.readAllLines(CPU_INFO);
    } catch (IOException | UnsupportedOperationException e) {
      return System.getProperty("os.arch");
    }
    Optional<String> model = field(lines, "model name");
    Optional<String> clock = field(lines, "cpu MHz");
    return model
        .map(m -> clock.map(mhz -> m + " at " + mhz + " MHz").orElse(m))
        .orElse(System.getProperty("os.arch"));
  }

  /** The value of the first {@code name : value} line of {@code /proc/cpuinfo} with this name. */
  private static Optional<String> field(List<String> lines, String name) {
    return lines.stream().filter(line -> line.startsWith(name)).findFirst().map(Machine::valueOf);
  }

  private static String valueOf(String line) {
    return line.substring(line.indexOf(':') + 1).trim();
  }
}
