package io.prebuilds.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

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
    try (Stream<String> lines = Files.lines(CPU_INFO)) {
      String[] found = new String[2];
      lines.forEach(
          line -> {
            if (found[0] == null && line.startsWith("model name")) {
              found[0] = valueOf(line);
            } else if (found[1] == null && line.startsWith("cpu MHz")) {
              found[1] = valueOf(line);
            }
          });
      if (found[0] == null) {
        return System.getProperty("os.arch");
      }
      return found[1] == null ? found[0] : found[0] + " at " + found[1] + " MHz";
    } catch (IOException | UncheckedIOException | UnsupportedOperationException e) {
      return System.getProperty("os.arch");
    }
  }

  private static String valueOf(String line) {
    return line.substring(line.indexOf(':') + 1).trim();
  }
}
