package io.prebuilds.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serde;

import io.prebuilds.bench.BenchArgs;
import io.prebuilds.reconcile.Decision;
import io.prebuilds.reconcile.PresetState;
import io.prebuilds.reconcile.ReconcileConfig;
import io.prebuilds.reconcile.Reconciler;
import io.prebuilds.reconcile.Trigger;
import io.prebuilds.schemas.StateSerde;

/**
 * The heap a {@link CachedStore} of presets holds, for sizing {@code
 * prebuilds.state.cached-presets-per-task}: stored presets as the reconciler stores them (a full
 * pool with its published snapshot), read back through the production serde the way a cache miss
 * reads them, and held; the used heap after a full GC, before and after. An estimate (the JVM's
 * accounting after {@code System.gc()}), repeated to show its spread.
 *
 * <pre>
 * mvn -DskipTests -pl streams-app -am verify -Dbench=streams-app \
 *   -Dbench.main=io.prebuilds.topology.CachedPresetFootprint -Dbench.args="presets=2000 rounds=5"
 * </pre>
 */
public final class CachedPresetFootprint {

  private CachedPresetFootprint() {}

  public static void main(String[] args) {
    BenchArgs parsed = BenchArgs.parse(args, Set.of("presets", "rounds"));
    int presets = parsed.integer("presets", 2_000);
    int rounds = parsed.integer("rounds", 5);
    Serde<StoredPreset> serde = StateSerde.builder(StoredPreset.class, 1).build();
    List<byte[]> stored = new ArrayList<>();
    long bytes = 0;
    long[] parts = new long[PARTS.size()];
    for (int i = 0; i < presets; i++) {
      PresetState state = BenchPresets.state(i);
      Decision decision =
          Reconciler.decide(
              state, Trigger.timer(BenchPresets.NOW), BenchPresets.NOW, ReconcileConfig.defaults());
      StoredPreset preset =
          StoredPreset.empty()
              .withState(state)
              .withPublication(
                  BenchPresets.NOW.plus(Duration.ofHours(1)),
                  true,
                  EventMapping.snapshot(state, decision, BenchPresets.NOW),
                  null);
      byte[] value = serde.serializer().serialize("bench", preset);
      stored.add(value);
      bytes += value.length;
      for (int p = 0; p < parts.length; p++) {
        parts[p] += smileBytes(PARTS.get(p).apply(preset));
      }
    }
    System.out.printf(
        Locale.ROOT, "%,d stored presets, %,d bytes each on average%n", presets, bytes / presets);
    for (int p = 0; p < parts.length; p++) {
      System.out.printf(
          Locale.ROOT, "  of which %-16s %,6d bytes%n", PART_NAMES.get(p), parts[p] / presets);
    }
    for (int round = 1; round <= rounds; round++) {
      long before = usedAfterGc();
      List<StoredPreset> held = new ArrayList<>(presets);
      for (byte[] value : stored) {
        held.add(serde.deserializer().deserialize("bench", value));
      }
      long after = usedAfterGc();
      System.out.printf(
          Locale.ROOT,
          "round %d: %,.0f bytes of heap per cached preset, %.1f MB per 1,000 (%d held)%n",
          round,
          (double) (after - before) / presets,
          (after - before) / 1e6 / presets * 1_000,
          held.size());
    }
  }

  private static final List<String> PART_NAMES =
      List.of("definition", "prebuilds", "commands", "createAttempts", "snapshot");
  private static final List<Function<StoredPreset, Object>> PARTS =
      List.of(
          p -> p.state().definition(),
          p -> p.state().prebuilds(),
          p -> p.state().commands(),
          p -> p.state().createAttempts(),
          StoredPreset::snapshot);

  /** A part as the state serde writes it (with its version byte and Smile header). */
  private static int smileBytes(Object part) {
    return PART_SERDE.serializer().serialize("bench", part).length;
  }

  private static final Serde<Object> PART_SERDE = StateSerde.builder(Object.class, 1).build();

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
