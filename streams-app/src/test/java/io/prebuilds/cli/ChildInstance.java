package io.prebuilds.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code prebuilds run --config <file>} in a child JVM on this test's classpath (under Surefire a
 * manifest-only booter jar, which works with {@code -cp}), output to a log file. The child is
 * killed when the test JVM exits, whatever happens to the test.
 */
final class ChildInstance implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final Thread reaper;

  private ChildInstance(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.reaper = new Thread(process::destroyForcibly, "reap-child-instance");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts the child with {@code settings} as its properties file and {@code environment} on top of
   * a clean environment (no inherited {@code KAFKA_*} or {@code PREBUILDS_*} variables).
   */
  static ChildInstance start(Path directory, Map<String, String> settings, Map<String, String> env)
      throws IOException {
    var properties = new Properties();
    properties.putAll(settings);
    var config = directory.resolve("child.properties");
    try (var writer = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      properties.store(writer, "child instance");
    }
    var log = directory.resolve("child.log");
    var java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    var builder =
        new ProcessBuilder(
                java,
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-Duser.timezone=UTC",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "run",
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(name -> name.startsWith("KAFKA_") || name.startsWith("PREBUILDS_"));
    builder.environment().putAll(env);
    return new ChildInstance(builder.start(), log);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** What the child printed and logged so far. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no shutdown hook runs, no transaction is finished, the group is not left. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the child instance survived SIGKILL");
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shutdownInProgress) {
      // the hook runs anyway and kills an already dead process
    }
  }
}
