package io.prebuilds.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A scratch directory for a benchmark's RocksDB state under the module's {@code target/bench-state}
 * (the working directory of {@code -Pbench} runs), removed on close: a million-preset store is
 * gigabytes, too much to leave behind after every run. Not under {@code /tmp}, which the machine's
 * other builds clean up while a run is still using it.
 */
public final class TempDirectory implements AutoCloseable {

  private final Path path;

  public TempDirectory(String prefix) {
    try {
      Path parent = Files.createDirectories(Path.of("target", "bench-state"));
      this.path = Files.createTempDirectory(parent, prefix).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory " + prefix, e);
    }
  }

  public Path path() {
    return path;
  }

  /** Bytes on disk under the directory (what the stores really occupy). */
  public long sizeBytes() {
    try (Stream<Path> files = Files.walk(path)) {
      return files.filter(Files::isRegularFile).mapToLong(TempDirectory::size).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(path)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + path, e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
