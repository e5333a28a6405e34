package io.prebuilds.runtime.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server that an earlier {@code dev} run started on our data directory and could not
 * stop. Embedded PostgreSQL runs as its own process; when the JVM that started it is killed
 * (SIGKILL, a closed terminal, the OOM killer), the server stays up, holding the port and the data
 * directory, and the next {@code dev} would fail with "port in use" until someone found and killed
 * it by hand. {@code postmaster.pid} in the data directory names the server's process and its data
 * directory; only a live {@code postgres} process serving exactly our directory is stopped (a fast
 * shutdown, so its data stays consistent), so a server of anyone else is never touched.
 */
final class LeftoverPostgres {

  private static final Logger log = LoggerFactory.getLogger(LeftoverPostgres.class);
  private static final String PID_FILE = "postmaster.pid";
  private static final long STOP_SECONDS = 60;

  private LeftoverPostgres() {}

  /**
   * Stops the server left running on {@code dataDirectory}, if there is one, and waits for it to
   * exit.
   *
   * @return whether a server was stopped
   * @throws IOException if one is running there and would not stop
   */
  static boolean stop(Path dataDirectory) throws IOException {
    Optional<ProcessHandle> found = server(dataDirectory);
    if (found.isEmpty()) {
      return false;
    }
    ProcessHandle server = found.get();
    log.atWarn()
        .addKeyValue("dataDirectory", dataDirectory)
        .addKeyValue("pid", server.pid())
        .log("stopping the PostgreSQL an earlier dev run left running");
    try {
      fastShutdown(server);
      server.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL in " + dataDirectory, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException(
          "PostgreSQL (pid %d) left running in %s did not stop within %d s; stop it and try again"
              .formatted(server.pid(), dataDirectory, STOP_SECONDS),
          e);
    }
    return true;
  }

  /**
   * SIGINT, PostgreSQL's fast shutdown (sessions rolled back and closed, a clean checkpoint), as
   * {@code pg_ctl stop} sends it; {@code pg_ctl} itself refuses to run as root, and Java can only
   * send SIGTERM, a smart shutdown that waits for every open {@code psql} session (the fallback
   * where there is no {@code kill} command).
   */
  private static void fastShutdown(ProcessHandle server) throws InterruptedException {
    try {
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start();
      if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) {
        return;
      }
    } catch (IOException e) {
      log.atDebug().setCause(e).log("no kill command; asking PostgreSQL for a smart shutdown");
    }
    server.destroy();
  }

  /**
   * The live {@code postgres} process whose {@code postmaster.pid} is in {@code dataDirectory} and
   * names it, or empty (no pid file, a stale one, or another program's process).
   */
  private static Optional<ProcessHandle> server(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve(PID_FILE);
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    if (lines.size() < 2 || !servesDirectory(lines.get(1).trim(), dataDirectory)) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            process ->
                process
                    .info()
                    .command()
                    .map(command -> Path.of(command).getFileName().toString().equals("postgres"))
                    .orElse(false));
  }

  private static boolean servesDirectory(String named, Path dataDirectory) {
    try {
      return Files.isSameFile(Path.of(named), dataDirectory);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
