package io.prebuilds.topology;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.management.ObjectName;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a stream thread's time goes: a JDK Flight Recorder recording of method samples (every 10 ms
 * for Java code, every 20 ms for native code such as RocksDB's JNI calls) while a section runs,
 * summarised for the stream threads (not their producers' I/O threads).
 *
 * <p>The summary counts a sample in every category one of its frames matches (inclusive time, so
 * nested categories overlap: the RocksDB time of a store read is also store time), plus the top
 * frames where the samples were taken (self time).
 */
final class StreamThreadProfile implements AutoCloseable {

  /**
   * A stream thread's name ends in {@code StreamThread-<n>}; its producer's I/O thread ({@code
   * kafka-producer-network-thread | <client id>-StreamThread-<n>-producer}) contains the same words
   * and is left out.
   */
  private static final AtomicBoolean STACK_DEPTH_SET = new AtomicBoolean();

  private static final Pattern STREAM_THREAD = Pattern.compile("-StreamThread-\\d+$");

  private final Recording recording = new Recording();
  private final Path file;

  private StreamThreadProfile(Path file) {
    this.file = file;
  }

  /** Starts recording; stacks are kept 256 frames deep (Kafka Streams' stacks are deep). */
  static StreamThreadProfile start(Path dir) {
    configureStackDepth();
    StreamThreadProfile profile = new StreamThreadProfile(dir.resolve("drain.jfr"));
    profile.recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
    profile.recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
    profile.recording.start();
    return profile;
  }

  /** {@code jcmd JFR.configure stackdepth=256}, which must run before the first recording. */
  private static void configureStackDepth() {
    if (!STACK_DEPTH_SET.compareAndSet(false, true)) {
      return;
    }
    try {
      ManagementFactory.getPlatformMBeanServer()
          .invoke(
              new ObjectName("com.sun.management:type=DiagnosticCommand"),
              "jfrConfigure",
              new Object[] {new String[] {"stackdepth=256"}},
              new String[] {String[].class.getName()});
    } catch (Exception e) {
      throw new IllegalStateException("cannot configure JFR's stack depth", e);
    }
  }

  /** A named test on a sample's stack (frames from the top, as {@code Class.method}). */
  private record Category(String name, Predicate<List<String>> matches) {}

  private static Category contains(String name, String... methods) {
    return new Category(
        name,
        frames -> {
          for (String frame : frames) {
            for (String method : methods) {
              if (frame.contains(method)) {
                return true;
              }
            }
          }
          return false;
        });
  }

  private static final List<Category> CATEGORIES =
      List.of(
          contains("consumer poll (StreamThread.pollRequests)", "StreamThread.pollRequests"),
          contains(
              "source deserialization: EventCodec.decode (parse + validate + bind)",
              "EventCodec.decode"),
          contains("· of which JSON Schema validation (com.networknt)", "com.networknt."),
          contains("processing (StreamTask.process)", "StreamTask.process"),
          contains("· template fan-out", "TemplateFanout.process"),
          contains("· PresetReconciler.process", "PresetReconciler.process"),
          contains("· · dedupe lookup (seen-events fetch)", "PresetReconciler.seen"),
          contains("· · state read: StateSerde.read", "StateSerde.read"),
          contains("· · state write: StateSerde.write", "StateSerde.write"),
          contains("· · Reconciler.decide", "Reconciler.decide"),
          contains("· · preset-state digest (encode + SHA-256)", "PresetReconciler.digest"),
          contains("· · EventCodec.encode (outputs and digest)", "EventCodec.encode"),
          contains("· · due index", "DueIndex."),
          contains("· admission stage (AdmissionStage.process)", "AdmissionStage.process"),
          contains("· RocksDB (org.rocksdb, JNI)", "org.rocksdb."),
          contains(
              "· record collector send (changelog + output records)", "RecordCollectorImpl.send"),
          contains(
              "· · a new producer batch (MemoryRecordsBuilder, the codec's buffers)",
              "MemoryRecordsBuilder.<init>"),
          contains("punctuation (PresetReconciler.tick)", "PresetReconciler.tick"),
          contains(
              "commit (flush stores, producer flush, transaction)",
              "TaskManager.commit",
              "TaskExecutor.commit"));

  /**
   * Stops recording and prints the summary of the stream threads' samples. The environment variable
   * {@code BENCH_JFR} names a file to keep the recording in, for {@code jfr print}.
   */
  void report(PrintStream out, int topFrames) {
    recording.stop();
    try {
      recording.dump(file);
      String keep = System.getenv("BENCH_JFR");
      if (keep != null && !keep.isBlank()) {
        Files.copy(file, Path.of(keep), StandardCopyOption.REPLACE_EXISTING);
        out.printf(Locale.ROOT, "recording kept as %s (BENCH_JFR)%n", keep);
      }
      List<RecordedEvent> events = RecordingFile.readAllEvents(file);
      summarise(events, "jdk.ExecutionSample", "Java", out, topFrames);
      summarise(events, "jdk.NativeMethodSample", "native", out, topFrames);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the recording " + file, e);
    }
  }

  private static void summarise(
      List<RecordedEvent> events, String type, String label, PrintStream out, int topFrames) {
    List<List<String>> stacks = new ArrayList<>();
    for (RecordedEvent event : events) {
      if (!event.getEventType().getName().equals(type)) {
        continue;
      }
      RecordedThread thread = event.getThread("sampledThread");
      if (thread == null
          || thread.getJavaName() == null
          || !STREAM_THREAD.matcher(thread.getJavaName()).find()
          || event.getStackTrace() == null) {
        continue;
      }
      List<String> frames = new ArrayList<>();
      for (RecordedFrame frame : event.getStackTrace().getFrames()) {
        frames.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
      }
      stacks.add(frames);
    }
    out.printf(Locale.ROOT, "%n%s samples of the stream thread(s): %,d%n", label, stacks.size());
    if (stacks.isEmpty()) {
      return;
    }
    out.printf(Locale.ROOT, "| where (inclusive) | samples | share |%n|---|---:|---:|%n");
    for (Category category : CATEGORIES) {
      long n = stacks.stream().filter(category.matches()).count();
      out.printf(
          Locale.ROOT, "| %s | %,d | %.1f %% |%n", category.name(), n, 100.0 * n / stacks.size());
    }
    Map<String, Integer> ours = new HashMap<>();
    for (List<String> frames : stacks) {
      ours.merge(outermostOurs(frames), 1, Integer::sum);
    }
    printTop(
        out, "outermost io.prebuilds frame, or Kafka's below the first", ours, stacks, topFrames);
    Map<String, Integer> self = new HashMap<>();
    for (List<String> frames : stacks) {
      self.merge(frames.isEmpty() ? "?" : frames.get(0), 1, Integer::sum);
    }
    printTop(out, "top frame (self, " + label + ")", self, stacks, topFrames);
  }

  /**
   * Which of our classes a sample is in, counted once at its outermost frame (frames run from the
   * top of the stack down); a sample with none of ours is named by the frame the thread's run loop
   * called, so Kafka's own work shows up by phase.
   */
  private static String outermostOurs(List<String> frames) {
    for (int i = frames.size() - 1; i >= 0; i--) {
      if (frames.get(i).startsWith("io.prebuilds.")) {
        return frames.get(i);
      }
    }
    for (int i = frames.size() - 1; i > 0; i--) {
      if (frames.get(i).contains("StreamThread.runOnce")) {
        return "(Kafka) " + frames.get(i - 1);
      }
    }
    return "(Kafka) " + frames.get(0);
  }

  private static void printTop(
      PrintStream out,
      String title,
      Map<String, Integer> counts,
      List<List<String>> stacks,
      int topFrames) {
    Map<String, Integer> top = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .limit(topFrames)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    out.printf(Locale.ROOT, "%n| %s | samples | share |%n|---|---:|---:|%n", title);
    top.forEach(
        (frame, n) ->
            out.printf(
                Locale.ROOT, "| `%s` | %,d | %.1f %% |%n", frame, n, 100.0 * n / stacks.size()));
  }

  @Override
  public void close() {
    recording.close();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
