package io.prebuilds.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.EventType;

/**
 * What edge validation costs on the hot path: {@link #decode} (parse, validate envelope and data
 * against the compiled schemas, bind) against {@link #bindWithoutValidation} (parse and bind only)
 * on the same bytes, so their ratio is the validation overhead; {@link #encode} for the write side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {

  @Param({"BUILD_COMPLETED", "INVENTORY_SNAPSHOT", "TEMPLATE_SNAPSHOT", "PRESET_STATE"})
  public EventType type;

  private final EventCodec codec = EventCodec.create();
  private byte[] bytes;
  private Envelope<Event> envelope;

  @Setup
  public void load() throws IOException {
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("examples/" + type.wire() + ".json")) {
      bytes = in.readAllBytes();
    }
    envelope = codec.decode(bytes).orElseThrow();
  }

  @Benchmark
  public Decoded<Event> decode() {
    return codec.decode(bytes);
  }

  @Benchmark
  public Event bindWithoutValidation() throws IOException {
    JsonNode root = Json.MAPPER.readTree(bytes);
    return Json.MAPPER.treeToValue(root.get("data"), type.recordClass());
  }

  @Benchmark
  public byte[] encode() {
    return codec.encode(envelope);
  }
}
