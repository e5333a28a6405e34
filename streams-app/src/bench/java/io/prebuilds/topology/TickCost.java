package io.prebuilds.topology;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.prebuilds.bench.Samples;
import io.prebuilds.bench.Stopwatch;
import io.prebuilds.bench.TempDirectory;
import io.prebuilds.bench.Timings;
import io.prebuilds.reconcile.Decision;
import io.prebuilds.reconcile.ReconcileConfig;
import io.prebuilds.reconcile.Reconciler;
import io.prebuilds.reconcile.Trigger;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;

/**
 * The cost of one punctuator tick over a large preset state store, against Coder's shape of loop
 * (read every preset, decide every preset) over the same store, side by side in one run.
 *
 * <p>Everything runs on the production topology in a {@link BenchDriver}: the stores are the real
 * stack (metered, change-logging, RocksDB) with the real serdes. The presets are bulk-loaded
 * through the driver's stores ({@code putAll}, committed every {@value #LOAD_CHUNK} presets), each
 * with its due-index entry; measuring starts once RocksDB has no compaction pending or running. A
 * tick is measured two ways:
 *
 * <ul>
 *   <li><b>punctuator</b>: the punctuator {@code PresetReconciler} schedules ({@code tick}: scan
 *       the due index, load, decide, store, reschedule, forward), called on a second reconciler
 *       instance whose context hands it the driver's own stores. This is the tick's work alone.
 *   <li><b>driver</b>: one {@code advanceWallClockTime} of the tick interval, so the driver's own
 *       reconciler ticks and then commits as exactly-once does (flushing every store) and captures
 *       the output. The driver adds work of its own per output record (changelogs included), so
 *       this is an upper bound.
 * </ul>
 *
 * <p>The baseline iterates the same preset store and calls the same {@link Reconciler#decide} for
 * every preset, and deliberately nothing more (no store writes, no output): the cheapest possible
 * full scan, so the ratios are lower bounds. Its first pass warms it up and is not counted.
 *
 * <p>The due times are planned at load: idle presets are due at their resync ({@code NOW + 1 h +
 * jitter}), after the benchmark ends; the presets due at tick {@code n} are due half a second
 * before it, so every measured tick visits exactly the planned presets and nothing writes to the
 * stores between ticks. Visits are counted from the preset-state records the ticks publish.
 */
final class TickCost {

  static final int LOAD_CHUNK = 10_000;
  private static final Duration DUE_BEFORE_TICK = Duration.ofMillis(500);
  private static final Duration COMPACTION_WAIT_LIMIT = Duration.ofMinutes(30);
  private static final Duration QUIET = Duration.ofSeconds(2);

  private final int presets;
  private final int reps;
  private final int warmupTicks;
  private final int burst;
  private final int scans;
  private final PrintStream out;

  /**
   * The 1 s tick the plan was laid out for, unpaced: every measured tick visits exactly the planned
   * presets (pacing would cut a tick to its share of the budget).
   */
  private final TopologySettings settings =
      TopologySettings.defaults(1)
          .withTick(Duration.ofSeconds(1), TopologySettings.defaults(1).maxPresetsPerTick())
          .withDecisionsPerSecond(DecisionPacer.UNPACED);

  TickCost(int presets, int reps, int warmupTicks, int burst, int scans, PrintStream out) {
    this.presets = presets;
    this.reps = reps;
    this.warmupTicks = warmupTicks;
    this.burst = burst;
    this.scans = scans;
    this.out = out;
  }

  /** How a tick is fired and measured (see the class comment). */
  private enum Mode {
    PUNCTUATOR,
    DRIVER
  }

  /** One tick of the plan: its scenario, how it is fired, how many come due right before it. */
  private record Tick(String scenario, Mode mode, int newlyDue) {}

  /**
   * Warm-up, then idle and 100-due ticks alternating between the two modes (so both see the same
   * machine), then a burst drained by each mode in turn (a burst outlives one tick, so a mode
   * drains it alone).
   */
  private List<Tick> plan() {
    List<Tick> ticks = new ArrayList<>();
    for (int i = 0; i < warmupTicks; i++) {
      ticks.add(new Tick("warmup", Mode.values()[i % 2], 100));
    }
    for (int i = 0; i < 2 * reps; i++) {
      ticks.add(new Tick("idle", Mode.values()[i % 2], 0));
    }
    for (int i = 0; i < 2 * reps; i++) {
      ticks.add(new Tick("due-100", Mode.values()[i % 2], 100));
    }
    int burstTicks = (burst + settings.maxPresetsPerTick() - 1) / settings.maxPresetsPerTick();
    for (Mode mode : Mode.values()) {
      for (int i = 0; i < burstTicks; i++) {
        ticks.add(new Tick("burst-" + burst, mode, i == 0 ? burst : 0));
      }
    }
    return ticks;
  }

  void run() {
    List<Tick> plan = plan();
    // Preset i < dueTick.length comes due just before tick dueTick[i] (1-based); the rest idle.
    int[] dueTick = new int[plan.stream().mapToInt(Tick::newlyDue).sum()];
    int planned = 0;
    for (int n = 0; n < plan.size(); n++) {
      for (int k = 0; k < plan.get(n).newlyDue(); k++) {
        dueTick[planned++] = n + 1;
      }
    }
    if (planned > presets) {
      throw new IllegalArgumentException(
          "the plan needs " + planned + " due presets but only " + presets + " are loaded");
    }
    ReconcileConfig config = settings.reconcile();
    out.printf(
        Locale.ROOT,
        "%n## tick cost: %,d presets, tick %s, at most %d presets per tick%n",
        presets,
        settings.tick(),
        settings.maxPresetsPerTick());

    try (TempDirectory dir = new TempDirectory("prebuilds-bench-tick-");
        BenchDriver bench = new BenchDriver(settings, BenchPresets.NOW, dir.path())) {
      KeyValueStore<String, StoredPreset> presetStore =
          bench.driver.getKeyValueStore(PrebuildsTopology.PRESET_STATE_STORE);
      KeyValueStore<Bytes, byte[]> dueStore =
          bench.driver.getKeyValueStore(PrebuildsTopology.DUE_INDEX_STORE);
      load(bench, presetStore, dueStore, dueTick, config, dir);

      Ticks ticks = new Ticks(bench, presetStore, dueStore);
      fullScan(presetStore, BenchPresets.NOW, config, "warm-up, not counted");
      Map<String, Timings> timings = new LinkedHashMap<>();
      Map<String, Integer> visits = new LinkedHashMap<>();
      Map<String, Integer> commands = new LinkedHashMap<>();
      Instant now = BenchPresets.NOW;
      for (Tick tick : plan) {
        now = now.plus(settings.tick());
        Fired fired = ticks.fire(tick.mode(), now);
        String key = tick.scenario() + ", " + tick.mode().name().toLowerCase(Locale.ROOT);
        timings.computeIfAbsent(key, k -> new Timings()).add(fired.elapsed());
        visits.merge(key, fired.published(), Integer::sum);
        commands.merge(tick.scenario(), fired.commanded(), Integer::sum);
      }
      Timings baseline = new Timings();
      for (int i = 0; i < scans; i++) {
        baseline.add(fullScan(presetStore, now, config, "measured"));
      }
      report(timings, visits, commands, baseline);
    }
  }

  /** One measured tick: its time and the preset-state records and commands it produced. */
  private record Fired(Stopwatch.Elapsed elapsed, int published, int commanded) {}

  /** Fires ticks in either mode over the driver's stores (see the class comment). */
  private final class Ticks {

    private final BenchDriver bench;
    private final MockProcessorContext<String, Outbound> context = new MockProcessorContext<>();
    private final Punctuator punctuator;
    private Instant driverClock = BenchPresets.NOW;

    Ticks(
        BenchDriver bench,
        KeyValueStore<String, StoredPreset> presetStore,
        KeyValueStore<Bytes, byte[]> dueStore) {
      this.bench = bench;
      context.addStateStore(presetStore);
      context.addStateStore(dueStore);
      context.addStateStore(bench.driver.getKeyValueStore(PrebuildsTopology.MEMBERSHIPS_STORE));
      context.addStateStore(bench.driver.getKeyValueStore(PrebuildsTopology.SETTINGS_STORE));
      context.addStateStore(bench.driver.getWindowStore(PrebuildsTopology.SEEN_EVENTS_STORE));
      context.addStateStore(bench.driver.getWindowStore(PrebuildsTopology.CLAIM_RESULTS_STORE));
      new PresetReconciler(
              settings, EventCodec.withMaxBytes(settings.maxEventBytes()), TopologyMetrics.NONE)
          .init(context);
      this.punctuator = context.scheduledPunctuators().get(0).getPunctuator();
    }

    Fired fire(Mode mode, Instant now) {
      return switch (mode) {
        case PUNCTUATOR -> punctuate(now);
        case DRIVER -> advanceDriver(now);
      };
    }

    private Fired punctuate(Instant now) {
      Stopwatch stopwatch = Stopwatch.start();
      punctuator.punctuate(now.toEpochMilli());
      Stopwatch.Elapsed elapsed = stopwatch.stop();
      Fired fired =
          new Fired(
              elapsed, forwarded(Topics.PRESET_STATE.name()), forwarded(Topics.COMMANDS.name()));
      context.resetForwards();
      bench.commit();
      bench.drain();
      return fired;
    }

    private Fired advanceDriver(Instant now) {
      // The driver's clock stood still during punctuator ticks; it catches up to the tick before
      // this one, when nothing is due (every earlier tick visited its presets).
      Duration behind = Duration.between(driverClock, now.minus(settings.tick()));
      if (!behind.isZero()) {
        bench.driver.advanceWallClockTime(behind);
        bench.drain();
      }
      Stopwatch stopwatch = Stopwatch.start();
      bench.driver.advanceWallClockTime(settings.tick());
      Stopwatch.Elapsed elapsed = stopwatch.stop();
      driverClock = now;
      Map<String, Integer> produced = bench.drain();
      return new Fired(
          elapsed,
          produced.getOrDefault(Topics.PRESET_STATE.name(), 0),
          produced.getOrDefault(Topics.COMMANDS.name(), 0));
    }

    private int forwarded(String topic) {
      return (int)
          context.forwarded().stream()
              .filter(f -> f.record().value().topic().equals(topic))
              .count();
    }
  }

  private void load(
      BenchDriver bench,
      KeyValueStore<String, StoredPreset> presetStore,
      KeyValueStore<Bytes, byte[]> dueStore,
      int[] dueTick,
      ReconcileConfig config,
      TempDirectory dir) {
    long generating = 0;
    long writing = 0;
    Stopwatch load = Stopwatch.start();
    for (int from = 0; from < presets; from += LOAD_CHUNK) {
      int to = Math.min(presets, from + LOAD_CHUNK);
      long started = System.nanoTime();
      List<KeyValue<String, StoredPreset>> states = new ArrayList<>(to - from);
      List<KeyValue<Bytes, byte[]>> dueEntries = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        String presetId = BenchPresets.presetId(i);
        Instant dueAt = dueAt(i, presetId, dueTick, config);
        states.add(KeyValue.pair(presetId, BenchPresets.stored(i, dueAt)));
        dueEntries.add(KeyValue.pair(DueIndex.key(dueAt, presetId), new byte[0]));
      }
      long generated = System.nanoTime();
      presetStore.putAll(states);
      dueStore.putAll(dueEntries);
      bench.commit();
      long written = System.nanoTime();
      bench.drain();
      generating += generated - started;
      writing += written - generated;
    }
    Stopwatch.Elapsed total = load.stop();
    out.printf(
        Locale.ROOT,
        "load: %,d presets in %.1f s wall (%,.0f presets/s), %.1f s CPU: building the states %.1f s,"
            + " writing them (serde, RocksDB putAll, changelog, commit every %,d) %.1f s%n",
        presets,
        total.wallNanos() / 1e9,
        presets / (total.wallNanos() / 1e9),
        total.cpuNanos() / 1e9,
        generating / 1e9,
        LOAD_CHUNK,
        writing / 1e9);
    long waitStarted = System.nanoTime();
    awaitCompactions(bench);
    out.printf(
        Locale.ROOT,
        "RocksDB flushes and compactions after the load were done %.1f s later; %,d MiB on disk%n",
        (System.nanoTime() - waitStarted) / 1e9,
        dir.sizeBytes() >> 20);
  }

  /**
   * Waits until RocksDB (the stores' own background threads) has run no flush or compaction for
   * {@link #QUIET}, so the scans and ticks measure the store, not the tail of the bulk load.
   * ({@code compaction-pending} is no criterion: with the stores' universal compaction it can stay
   * set with nothing left to run.)
   */
  private static void awaitCompactions(BenchDriver bench) {
    long deadline = System.nanoTime() + COMPACTION_WAIT_LIMIT.toNanos();
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < QUIET.toNanos()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "RocksDB still compacting after " + COMPACTION_WAIT_LIMIT + "; the disk is too slow");
      }
      if (backgroundWork(bench)) {
        quietSince = System.nanoTime();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for compactions", e);
      }
    }
  }

  private static boolean backgroundWork(BenchDriver bench) {
    for (Map.Entry<MetricName, ? extends Metric> metric : bench.driver.metrics().entrySet()) {
      String name = metric.getKey().name();
      if ((name.equals("num-running-compactions") || name.equals("num-running-flushes"))
          && metric.getValue().metricValue() instanceof Number value
          && value.doubleValue() > 0) {
        return true;
      }
    }
    return false;
  }

  /** Planned presets are due half a second before their tick; the rest at their resync. */
  private Instant dueAt(int index, String presetId, int[] dueTick, ReconcileConfig config) {
    if (index >= dueTick.length) {
      return BenchPresets.NOW.plus(config.resyncAfter(presetId));
    }
    return BenchPresets.NOW
        .plus(settings.tick().multipliedBy(dueTick[index]))
        .minus(DUE_BEFORE_TICK);
  }

  /** Coder's shape: every preset read and decided, whether anything changed or not. */
  private Stopwatch.Elapsed fullScan(
      KeyValueStore<String, StoredPreset> presetStore,
      Instant now,
      ReconcileConfig config,
      String label) {
    Trigger trigger = Trigger.timer(now);
    int decided = 0;
    int withActions = 0;
    long checksum = 0;
    Stopwatch stopwatch = Stopwatch.start();
    try (KeyValueIterator<String, StoredPreset> it = presetStore.all()) {
      while (it.hasNext()) {
        StoredPreset stored = it.next().value;
        if (stored.defined()) {
          Decision decision = Reconciler.decide(stored.state(), trigger, now, config);
          decided++;
          withActions += decision.actions().isEmpty() ? 0 : 1;
          checksum += decision.nextDueAt().toEpochMilli();
        }
      }
    }
    Stopwatch.Elapsed elapsed = stopwatch.stop();
    out.printf(
        Locale.ROOT,
        "full scan (%s) at %s: %,d presets decided (%,d with actions) in %.2f s wall, %.2f s CPU"
            + " (checksum %x)%n",
        label,
        now,
        decided,
        withActions,
        elapsed.wallNanos() / 1e9,
        elapsed.cpuNanos() / 1e9,
        checksum);
    return elapsed;
  }

  private void report(
      Map<String, Timings> timings,
      Map<String, Integer> visits,
      Map<String, Integer> commands,
      Timings baseline) {
    long scanWall = baseline.wall().medianNanos();
    long scanCpu = baseline.cpu().medianNanos();
    out.printf(
        Locale.ROOT,
        "%n| scenario, measured as | ticks | presets visited per tick | wall ms: median | p90 | max"
            + " | CPU ms: median | full scan ÷ tick: wall | CPU |%n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|---:|%n");
    out.printf(
        Locale.ROOT,
        "| full scan of %,d presets (baseline) | %d passes | %,d | %s | - | %s | %s | 1 | 1 |%n",
        presets,
        baseline.count(),
        presets,
        Samples.millis(scanWall),
        Samples.millis(baseline.wall().maxNanos()),
        Samples.millis(scanCpu));
    for (Map.Entry<String, Timings> entry : timings.entrySet()) {
      Timings tick = entry.getValue();
      out.printf(
          Locale.ROOT,
          "| %s | %d | %.0f | %s | %s | %s | %s | %s | %s |%n",
          entry.getKey(),
          tick.count(),
          visits.get(entry.getKey()) / (double) tick.count(),
          Samples.millis(tick.wall().medianNanos()),
          Samples.millis(tick.wall().percentileNanos(90)),
          Samples.millis(tick.wall().maxNanos()),
          Samples.millis(tick.cpu().medianNanos()),
          ratio(scanWall, tick.wall().medianNanos()),
          ratio(scanCpu, tick.cpu().medianNanos()));
    }
    for (Mode mode : Mode.values()) {
      Timings drain = timings.get("burst-" + burst + ", " + mode.name().toLowerCase(Locale.ROOT));
      out.printf(
          Locale.ROOT,
          "%nburst of %,d due (%s): drained in %d ticks taking %s ms wall, %s ms CPU in all"
              + " (full scan ÷ all of them: %s wall, %s CPU)",
          burst,
          mode.name().toLowerCase(Locale.ROOT),
          drain.count(),
          Samples.millis(drain.wall().totalNanos()),
          Samples.millis(drain.cpu().totalNanos()),
          ratio(scanWall, drain.wall().totalNanos()),
          ratio(scanCpu, drain.cpu().totalNanos()));
    }
    out.printf(
        Locale.ROOT, "%ncommands emitted by the ticks (idle presets need none): %s%n", commands);
  }

  private static String ratio(long baseline, long measured) {
    return String.format(Locale.ROOT, "%,.0f×", baseline / (double) Math.max(1, measured));
  }
}
