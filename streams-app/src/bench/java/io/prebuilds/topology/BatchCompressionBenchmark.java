package io.prebuilds.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.serialization.Serde;
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
 * What one producer batch costs the thread that appends to it, per compression codec: the stream
 * thread builds every batch of the changelogs and outputs it writes, and with a 20 ms commit
 * interval each commit closes the batches it opened, so in the steady state a batch holds a few
 * records and the per-batch cost of a codec counts as much as its per-byte cost. The records are
 * stored presets as the reconciler writes them to its changelog (Smile, about 1.8 KB each).
 *
 * <p>The batch is built the way the producer's record accumulator builds it ({@link
 * MemoryRecords#builder} on a pooled 16 KiB buffer: {@code batch.size}'s default), appended to and
 * closed. Run with {@code -prof gc} for the bytes allocated per batch.
 *
 * <pre>
 * mvn -DskipTests -pl streams-app -am verify -Dbench=streams-app \
 *   -Dbench.args="BatchCompressionBenchmark -f 1 -wi 5 -i 5 -w 2s -r 2s -prof gc"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchCompressionBenchmark {

  private static final int BATCH_BYTES = 16 * 1024;
  private static final long TIMESTAMP = BenchPresets.NOW.toEpochMilli();

  @Param({"none", "lz4", "zstd", "snappy"})
  public String codec;

  @Param({"1", "4", "16"})
  public int records;

  private final ByteBuffer buffer = ByteBuffer.allocate(BATCH_BYTES);
  private Compression compression;
  private byte[][] keys;
  private byte[][] values;

  @Setup
  public void setUp() {
    compression = Compression.of(codec).build();
    Serde<StoredPreset> serde = StateSerde.builder(StoredPreset.class, 1).build();
    keys = new byte[records][];
    values = new byte[records][];
    for (int i = 0; i < records; i++) {
      keys[i] = BenchPresets.presetId(i).getBytes(StandardCharsets.UTF_8);
      values[i] = serde.serializer().serialize("", BenchPresets.stored(i, BenchPresets.NOW));
    }
    int bytes = batch().sizeInBytes();
    Compression chosen = compression;
    compression = Compression.NONE;
    int uncompressed = batch().sizeInBytes();
    compression = chosen;
    System.out.printf(
        Locale.ROOT,
        "%n%s, %d records: a batch of %,d bytes, %,d uncompressed (%.2f)%n",
        codec,
        records,
        bytes,
        uncompressed,
        (double) bytes / uncompressed);
  }

  @Benchmark
  public MemoryRecords batch() {
    buffer.clear();
    MemoryRecordsBuilder builder =
        MemoryRecords.builder(buffer, compression, TimestampType.CREATE_TIME, 0L);
    for (int i = 0; i < records; i++) {
      builder.append(TIMESTAMP, keys[i], values[i]);
    }
    return builder.build();
  }
}
