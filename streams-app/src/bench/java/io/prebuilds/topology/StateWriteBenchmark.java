package io.prebuilds.topology;

import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.prebuilds.schemas.StateSerde;

/**
 * One write of a stored preset into the state format, by Jackson's binding and by {@link
 * StoredPresetWriter}. Each invocation writes the next of 1,000 steady-state presets ({@link
 * BenchPresets#published}), so successive writes touch different objects, as the stream thread's
 * do.
 *
 * <pre>
 * mvn -DskipTests -pl streams-app -am verify -Dbench=streams-app \
 *   -Dbench.args="StateWriteBenchmark -f 1 -wi 5 -i 5 -w 2s -r 2s -prof gc"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StateWriteBenchmark {

  private static final int PRESETS = 1_000;

  @Param({"binding", "hand-written"})
  public String writer;

  private Serializer<StoredPreset> serializer;
  private final StoredPreset[] values = new StoredPreset[PRESETS];
  private int next;

  @Setup
  public void setUp() {
    serializer =
        "binding".equals(writer)
            ? StateSerde.builder(StoredPreset.class, 1).build().serializer()
            : StoredPreset.SERDE.serializer();
    for (int i = 0; i < PRESETS; i++) {
      values[i] = BenchPresets.published(i);
    }
  }

  @Benchmark
  public byte[] write() {
    StoredPreset value = values[next];
    next = next + 1 == PRESETS ? 0 : next + 1;
    return serializer.serialize("", value);
  }
}
