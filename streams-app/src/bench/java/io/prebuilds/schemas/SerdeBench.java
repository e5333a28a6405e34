package io.prebuilds.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.prebuilds.bench.BenchArgs;
import io.prebuilds.bench.Samples;
import io.prebuilds.bench.Stopwatch;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.EventType;
import io.prebuilds.topology.BenchPresets;
import io.prebuilds.topology.StoredPreset;

/**
 * The (de)serialization the stream thread pays per event, before and after the Smile state format,
 * the hand-written RFC 3339 instants and the codec's per-type readers, side by side in one JVM: the
 * state read and write of a {@link StoredPreset} (a full pool with its published snapshot, as the
 * reconciler stores it), the decode of a build event, and the encode of a command and of a
 * preset-state envelope.
 *
 * <p>"Before" is the previous release's code path, kept here verbatim: a JSON body behind the
 * version byte and the previous mapper configuration, and for decoding the same {@code readTree},
 * envelope and data schema validation, {@code treeToValue}. "After" is the production {@link
 * StateSerde} and {@link EventCodec}. Rounds alternate which goes first; CPU time of this thread;
 * median round.
 *
 * <pre>
 * mvn -DskipTests -pl streams-app -am verify -Dbench=streams-app \
 *   -Dbench.main=io.prebuilds.schemas.SerdeBench -Dbench.args="presets=1000 rounds=40"
 * </pre>
 */
public final class SerdeBench {

  private static final ObjectMapper BEFORE =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .serializationInclusion(JsonInclude.Include.NON_ABSENT)
          .build();

  private SerdeBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs parsed = BenchArgs.parse(args, Set.of("presets", "rounds", "warmup", "events"));
    int presets = parsed.integer("presets", 1_000);
    int rounds = parsed.integer("rounds", 40);
    int warmup = parsed.integer("warmup", 20);
    int events = parsed.integer("events", 1_000);

    List<StoredPreset> values = storedPresets(presets);
    Serde<StoredPreset> after = StateSerde.builder(StoredPreset.class, 1).build();
    Serializer<StoredPreset> afterWriter = after.serializer();
    Deserializer<StoredPreset> afterReader = after.deserializer();
    List<byte[]> beforeBytes = new ArrayList<>();
    List<byte[]> afterBytes = new ArrayList<>();
    for (StoredPreset value : values) {
      beforeBytes.add(writeBefore(value));
      byte[] written = afterWriter.serialize("bench", value);
      afterBytes.add(written);
      if (!afterReader.deserialize("bench", written).equals(value)
          || !afterReader
              .deserialize("bench", beforeBytes.get(beforeBytes.size() - 1))
              .equals(value)) {
        throw new IllegalStateException("a stored preset did not round-trip");
      }
    }

    EventCodec codec = EventCodec.create();
    byte[] build = example(EventType.BUILD_COMPLETED);
    Envelope<?> command = accepted(codec, example(EventType.CREATE_PREBUILD));
    Envelope<?> presetState = accepted(codec, example(EventType.PRESET_STATE));
    if (!decodeBefore(build).equals(accepted(codec, build))) {
      throw new IllegalStateException("before and after decode differently");
    }

    List<Row> rows =
        List.of(
            new Row(
                "state read (`StoredPreset`)",
                presets,
                () -> readAll(beforeBytes, SerdeBench::readBefore),
                () -> readAll(afterBytes, bytes -> afterReader.deserialize("bench", bytes))),
            new Row(
                "state write (`StoredPreset`)",
                presets,
                () -> writeAll(values, value -> writeBefore(value).length),
                () -> writeAll(values, value -> afterWriter.serialize("bench", value).length)),
            new Row(
                "decode `build.completed` (" + build.length + " B)",
                events,
                () -> repeat(events, () -> decodeBefore(build).hashCode()),
                () -> repeat(events, () -> codec.decode(build).hashCode())),
            new Row(
                "encode `command.create-prebuild`",
                events,
                () -> repeat(events, () -> encodeBefore(command).length),
                () -> repeat(events, () -> codec.encode(command).length)),
            new Row(
                "encode `preset.state`",
                events,
                () -> repeat(events, () -> encodeBefore(presetState).length),
                () -> repeat(events, () -> codec.encode(presetState).length)));

    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            Locale.ROOT,
            "# %,d stored presets (%,d B before, %,d B after on average), %,d events per round,"
                + " %d rounds after %d warm-up, load average %.2f%n"
                + "| operation | before µs | after µs | before ÷ after |%n|---|---:|---:|---:|%n",
            presets,
            total(beforeBytes) / presets,
            total(afterBytes) / presets,
            events,
            rounds,
            warmup,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    for (Row row : rows) {
      Samples before = new Samples();
      Samples afterSamples = new Samples();
      for (int round = 0; round < warmup + rounds; round++) {
        boolean beforeFirst = round % 2 == 0;
        long a = beforeFirst ? row.before().cpuNanos() : row.after().cpuNanos();
        long b = beforeFirst ? row.after().cpuNanos() : row.before().cpuNanos();
        if (round >= warmup) {
          before.add(beforeFirst ? a : b);
          afterSamples.add(beforeFirst ? b : a);
        }
      }
      double beforeMicros = before.medianNanos() / 1e3 / row.operations();
      double afterMicros = afterSamples.medianNanos() / 1e3 / row.operations();
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %.2f | **%.2f×** |%n",
              row.name(),
              beforeMicros,
              afterMicros,
              beforeMicros / afterMicros));
      System.out.print(table);
      table.setLength(0);
    }
  }

  /**
   * One operation measured both ways; each section returns the thread CPU nanoseconds of a round.
   */
  private record Row(String name, int operations, Section before, Section after) {}

  @FunctionalInterface
  private interface Section {
    long cpuNanos();
  }

  @FunctionalInterface
  private interface Work {
    int run();
  }

  private static long repeat(int times, Work work) {
    Stopwatch stopwatch = Stopwatch.start();
    int sink = 0;
    for (int i = 0; i < times; i++) {
      sink += work.run();
    }
    long cpu = stopwatch.stop().cpuNanos();
    return sink == Integer.MIN_VALUE ? cpu + 1 : cpu;
  }

  private static long readAll(List<byte[]> stored, Function<byte[], StoredPreset> read) {
    Stopwatch stopwatch = Stopwatch.start();
    int defined = 0;
    for (byte[] value : stored) {
      if (read.apply(value).defined()) {
        defined++;
      }
    }
    long cpu = stopwatch.stop().cpuNanos();
    if (defined != stored.size()) {
      throw new IllegalStateException("a stored preset read back undefined");
    }
    return cpu;
  }

  private static long writeAll(List<StoredPreset> values, ToLongFunction<StoredPreset> write) {
    Stopwatch stopwatch = Stopwatch.start();
    long bytes = 0;
    for (StoredPreset value : values) {
      bytes += write.applyAsLong(value);
    }
    long cpu = stopwatch.stop().cpuNanos();
    if (bytes == 0) {
      throw new IllegalStateException("nothing written");
    }
    return cpu;
  }

  private static long total(List<byte[]> values) {
    return values.stream().mapToLong(value -> value.length).sum();
  }

  // The previous release's code paths.

  private static byte[] writeBefore(StoredPreset value) {
    try {
      byte[] json = BEFORE.writeValueAsBytes(value);
      byte[] bytes = new byte[json.length + 1];
      bytes[0] = 1;
      System.arraycopy(json, 0, bytes, 1, json.length);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static StoredPreset readBefore(byte[] bytes) {
    try {
      return BEFORE.readValue(bytes, 1, bytes.length - 1, StoredPreset.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Envelope<Event> decodeBefore(byte[] bytes) {
    try {
      JsonNode root = BEFORE.readTree(bytes);
      String wire = root.path("type").asText();
      EventType type = EventType.fromWire(wire).orElseThrow();
      if (!SchemaCatalog.get().envelope().validate(root).isEmpty()
          || !SchemaCatalog.get().data(type).validate(root.get("data")).isEmpty()) {
        throw new IllegalStateException("example is invalid");
      }
      Instant time = OffsetDateTime.parse(root.get("time").asText()).toInstant();
      Event data = (Event) BEFORE.treeToValue(root.get("data"), type.recordClass());
      return new Envelope<>(
          root.get("specversion").asText(),
          root.get("id").asText(),
          type.wire(),
          root.get("source").asText(),
          time,
          root.get("subject").asText(),
          text(root, "datacontenttype"),
          text(root, "dataschema"),
          data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<String> text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
  }

  private static byte[] encodeBefore(Envelope<?> envelope) {
    try {
      return BEFORE.writeValueAsBytes(envelope);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Inputs.

  private static byte[] example(EventType type) throws IOException {
    String resource = "examples/" + type.wire() + ".json";
    try (InputStream in = SerdeBench.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing example " + resource);
      }
      return BEFORE.writeValueAsBytes(BEFORE.readTree(in));
    }
  }

  private static Envelope<?> accepted(EventCodec codec, byte[] bytes) {
    return codec.decode(bytes).orElseThrow();
  }

  private static List<StoredPreset> storedPresets(int count) {
    List<StoredPreset> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(BenchPresets.published(i));
    }
    return values;
  }
}
