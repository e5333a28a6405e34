package io.prebuilds.deploy;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus' {@code promtool} (Debian package {@code prometheus}). Where it is missing the
 * calling test is skipped with a message, except under {@code CI=true}, where a missing promtool
 * fails the test: CI must never pass rules it did not check.
 */
final class Promtool {

  record Result(int exitCode, String output) {}

  private Promtool() {}

  /** The promtool executable, or a skipped (locally) / failed (CI) test. */
  static Path require() {
    Optional<Path> found = DeployFiles.onPath("promtool");
    if (found.isEmpty()) {
      String message =
          "promtool not found on PATH; install it with"
              + " `apt-get update && apt-get install -y prometheus`";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " (CI=true: a missing promtool is a failure)");
      }
      assumeTrue(false, message + " (test skipped)");
    }
    return found.orElseThrow();
  }

  static Result run(Path workingDirectory, String... args) {
    List<String> command = new ArrayList<>();
    command.add(require().toString());
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(workingDirectory.toFile())
              .redirectErrorStream(true)
              .start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail("promtool did not finish within 2 minutes: " + command);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running promtool", e);
    }
  }
}
