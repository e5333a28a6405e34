package io.prebuilds.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

import io.prebuilds.bench.BenchArgs;
import io.prebuilds.bench.Samples;
import io.prebuilds.bench.Stopwatch;
import io.prebuilds.reconcile.Decision;
import io.prebuilds.reconcile.PresetState;
import io.prebuilds.reconcile.ReconcileConfig;
import io.prebuilds.reconcile.Reconciler;
import io.prebuilds.reconcile.Trigger;
import io.prebuilds.schemas.StateSerde;

/**
 * What the {@link StateSerde} fast path saves on every read of the preset state: the same stored
 * presets (a full pool with its published snapshot, as the reconciler stores them) read by the
 * production serde, whose format is current and which binds straight from the bytes, and by a serde
 * one format version ahead with an identity migration, which reads them the way every read went
 * before: a JSON tree, then bound. Rounds alternate which goes first; CPU time of this thread.
 *
 * <pre>
 * mvn -DskipTests -pl streams-app -am verify -Dbench=streams-app \
 *   -Dbench.main=io.prebuilds.topology.StateReadBench -Dbench.args="presets=1000 rounds=60"
 * </pre>
 */
public final class StateReadBench {

  private StateReadBench() {}

  public static void main(String[] args) {
    BenchArgs parsed = BenchArgs.parse(args, Set.of("presets", "rounds", "warmup"));
    int presets = parsed.integer("presets", 1_000);
    int rounds = parsed.integer("rounds", 60);
    int warmup = parsed.integer("warmup", 20);
    Serde<StoredPreset> current = StateSerde.builder(StoredPreset.class, 1).build();
    Serde<StoredPreset> viaTree =
        StateSerde.builder(StoredPreset.class, 2).migration(1, json -> json).build();
    List<byte[]> stored = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < presets; i++) {
      PresetState state = BenchPresets.state(i);
      Trigger trigger = Trigger.timer(BenchPresets.NOW);
      Decision decision =
          Reconciler.decide(state, trigger, BenchPresets.NOW, ReconcileConfig.defaults());
      StoredPreset preset =
          StoredPreset.empty()
              .withState(state)
              .withPublication(
                  BenchPresets.NOW.plus(Duration.ofHours(1)),
                  true,
                  EventMapping.snapshot(state, decision, BenchPresets.NOW),
                  null);
      byte[] value = current.serializer().serialize("bench", preset);
      stored.add(value);
      bytes += value.length;
    }
    Samples direct = new Samples();
    Samples tree = new Samples();
    for (int round = 0; round < warmup + rounds; round++) {
      boolean directFirst = round % 2 == 0;
      long a = readAll(directFirst ? current : viaTree, stored);
      long b = readAll(directFirst ? viaTree : current, stored);
      if (round >= warmup) {
        direct.add(directFirst ? a : b);
        tree.add(directFirst ? b : a);
      }
    }
    double directMicros = direct.medianNanos() / 1e3 / presets;
    double treeMicros = tree.medianNanos() / 1e3 / presets;
    System.out.printf(
        Locale.ROOT,
        "# StoredPreset reads: %,d presets, %,d bytes on average, %d rounds after %d warm-up,"
            + " load average %.2f%n"
            + "| read | CPU µs per read (median round) |%n|---|---:|%n"
            + "| readTree + treeToValue (before) | %.2f |%n"
            + "| readValue (current format, after) | %.2f |%n"
            + "| **before ÷ after** | **%.2f×** |%n",
        presets,
        bytes / presets,
        rounds,
        warmup,
        DrainBench.loadAverage(),
        treeMicros,
        directMicros,
        treeMicros / directMicros);
  }

  private static long readAll(Serde<StoredPreset> serde, List<byte[]> stored) {
    Deserializer<StoredPreset> deserializer = serde.deserializer();
    Stopwatch stopwatch = Stopwatch.start();
    int defined = 0;
    for (byte[] value : stored) {
      if (deserializer.deserialize("bench", value).defined()) {
        defined++;
      }
    }
    if (defined != stored.size()) {
      throw new IllegalStateException("a stored preset read back undefined");
    }
    return stopwatch.stop().cpuNanos();
  }
}
