package io.prebuilds.topology;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import io.prebuilds.bench.BenchArgs;
import io.prebuilds.bench.BenchBroker;
import io.prebuilds.bench.CpuSteal;
import io.prebuilds.bench.Machine;
import io.prebuilds.bench.Samples;
import io.prebuilds.bench.TempDirectory;
import io.prebuilds.bench.ThreadCpu;
import io.prebuilds.reconcile.PresetDefinition;
import io.prebuilds.runtime.Health;
import io.prebuilds.runtime.config.StreamsSettings;
import io.prebuilds.schemas.Decoded;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.TemplateSnapshot;

/**
 * Drain throughput on the in-process broker (issue 7, part 1): pre-produce template snapshots for
 * {@code presets} presets and {@code events} build events over them once, then drain them from
 * offset 0 with eight variants, each under a fresh {@code application.id} and state directory: a
 * pass-through topology (bytes in, bytes out, no state), a pass-through that decodes every record
 * with the production {@link EventCodec} first (what any topology of ours pays before its own work:
 * the floor under the drain goal), a trivial RocksDB read-modify-write topology and our topology,
 * each under {@code exactly_once_v2} and {@code at_least_once}. Rounds alternate the order of the
 * variants.
 *
 * <p>Each variant first takes in the template snapshots alone, untimed (see {@link #drain}), so the
 * timed drain is the steady state: build events for presets that are defined. It is timed from
 * {@code KafkaStreams.start()} until the application's committed offsets reach the end offsets of
 * the build events (under exactly-once that is when the last transaction, with every output, has
 * committed). The time from the client reaching {@code RUNNING} is reported too: it leaves out
 * group join, task assignment and restoration, which are the same for every topology.
 *
 * <p>{@code claimsPerSecond} sends claims while each drain of ours catches up and reports how long
 * they waited to be decided ({@link CatchUpClaims}); {@code fetchPairs} compares our drain with the
 * consumer's {@code max.partition.fetch.bytes} at each of {@code fetchBytes} (by default Kafka's 1
 * MiB and the application's 256 KiB).
 *
 * <pre>
 * mvn -DskipTests -pl streams-app -am verify -Dbench=streams-app \
 *   -Dbench.main=io.prebuilds.topology.DrainBench \
 *   -Dbench.args="presets=10000 events=1000000 rounds=2 commitMs=100 profile=true"
 * </pre>
 */
public final class DrainBench {

  private static final String PASS_THROUGH_OUTPUT = "bench.pass-through.v1";
  private static final PrintStream out = System.out;

  private final BenchBroker broker;
  private final int partitions;
  private final int commitMs;
  private final int threads;
  private final Map<String, String> overrides;
  private final int presets;
  private final int claimsPerSecond;
  private Map<TopicPartition, Long> endOffsets;

  private DrainBench(
      BenchBroker broker,
      int partitions,
      int commitMs,
      int threads,
      Map<String, String> overrides,
      int presets,
      int claimsPerSecond) {
    this.broker = broker;
    this.partitions = partitions;
    this.commitMs = commitMs;
    this.threads = threads;
    this.overrides = overrides;
    this.presets = presets;
    this.claimsPerSecond = claimsPerSecond;
  }

  /** What a variant runs: the reference topologies, or ours. */
  enum Kind {
    PASS_THROUGH("pass-through"),
    DECODE_ONLY("decode-only pass-through"),
    READ_MODIFY_WRITE("RocksDB read-modify-write"),
    OURS("ours");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /**
   * The variants: each kind under both guarantees. The read-modify-write reference reads a key's
   * value from a logged RocksDB store, writes the event back and forwards it (one state record and
   * one output per event), the "trivial read-modify-write topology", measured side by side.
   * The decode-only reference decodes and validates each record with the production codec, as our
   * sources do (less their cheap check that the event type belongs to the topic), then forwards its
   * bytes.
   */
  enum Variant {
    PASS_THROUGH_EOS(Kind.PASS_THROUGH, StreamsConfig.EXACTLY_ONCE_V2),
    DECODE_ONLY_EOS(Kind.DECODE_ONLY, StreamsConfig.EXACTLY_ONCE_V2),
    READ_MODIFY_WRITE_EOS(Kind.READ_MODIFY_WRITE, StreamsConfig.EXACTLY_ONCE_V2),
    OURS_EOS(Kind.OURS, StreamsConfig.EXACTLY_ONCE_V2),
    PASS_THROUGH_ALOS(Kind.PASS_THROUGH, StreamsConfig.AT_LEAST_ONCE),
    DECODE_ONLY_ALOS(Kind.DECODE_ONLY, StreamsConfig.AT_LEAST_ONCE),
    READ_MODIFY_WRITE_ALOS(Kind.READ_MODIFY_WRITE, StreamsConfig.AT_LEAST_ONCE),
    OURS_ALOS(Kind.OURS, StreamsConfig.AT_LEAST_ONCE);

    final Kind kind;
    final boolean ours;
    final String guarantee;

    Variant(Kind kind, String guarantee) {
      this.kind = kind;
      this.ours = kind == Kind.OURS;
      this.guarantee = guarantee;
    }

    String label() {
      return kind.label
          + (guarantee.equals(StreamsConfig.AT_LEAST_ONCE) ? ", at-least-once" : ", EOS v2");
    }
  }

  /**
   * One drain: from start, from RUNNING, the stream threads' CPU time, and the whole JVM's (broker,
   * clients and harness: on two cores, whether the machine rather than the stream thread is full);
   * with {@code claimsPerSecond}, how long the claims sent during a drain of ours waited to be
   * decided ({@link CatchUpClaims}; empty otherwise).
   */
  record Drain(
      Variant variant,
      long fromStartNanos,
      long fromRunningNanos,
      long streamCpuNanos,
      long processCpuNanos,
      double stolenPercent,
      Samples claims) {}

  public static void main(String[] args) throws Exception {
    BenchArgs parsed =
        BenchArgs.parse(
            args,
            Set.of(
                "presets",
                "events",
                "partitions",
                "rounds",
                "commitMs",
                "threads",
                "profile",
                "cacheBytes",
                "batchBytes",
                "lingerMs",
                "compression",
                "idleMs",
                "idlePairs",
                "compressionPairs",
                "compressions",
                "claimsPerSecond",
                "fetchPairs",
                "fetchBytes"));
    int presets = parsed.integer("presets", 10_000);
    int events = parsed.integer("events", 1_000_000);
    int partitions = parsed.integer("partitions", 8);
    int rounds = parsed.integer("rounds", 2);
    boolean profile = Boolean.parseBoolean(parsed.text("profile", "true"));
    Map<String, String> overrides = new HashMap<>();
    String cache = parsed.text("cacheBytes", "");
    if (!cache.isEmpty()) {
      overrides.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cache);
    }
    String batch = parsed.text("batchBytes", "");
    if (!batch.isEmpty()) {
      overrides.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), batch);
    }
    String compression = parsed.text("compression", "");
    if (!compression.isEmpty()) {
      overrides.put(
          StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), compression);
    }
    String idle = parsed.text("idleMs", "");
    if (!idle.isEmpty()) {
      overrides.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, idle);
    }
    String linger = parsed.text("lingerMs", "");
    if (!linger.isEmpty()) {
      overrides.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), linger);
    }
    out.printf(Locale.ROOT, "# machine: %s%n", Machine.describe());
    out.printf(
        Locale.ROOT,
        "# drain: %,d build events over %,d presets, %d partitions, commit.interval.ms=%d,"
            + " %d stream thread(s), overrides %s, %d cores, load average %.2f%n",
        events,
        presets,
        partitions,
        parsed.integer("commitMs", 100),
        parsed.integer("threads", 1),
        overrides,
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    try (BenchBroker broker = BenchBroker.start()) {
      DrainBench bench =
          new DrainBench(
              broker,
              partitions,
              parsed.integer("commitMs", 100),
              parsed.integer("threads", 1),
              overrides,
              presets,
              parsed.integer("claimsPerSecond", 0));
      bench.createTopics();
      bench.preProduce(events);
      List<Drain> drains = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        List<Variant> order = new ArrayList<>(List.of(Variant.values()));
        if (round % 2 == 1) {
          Collections.reverse(order);
        }
        for (Variant variant : order) {
          Drain drain = bench.drain(variant, round);
          drains.add(drain);
          out.printf(
              Locale.ROOT,
              "round %d %-28s %7.2f s from start, %7.2f s from RUNNING, %,9.0f events/s,"
                  + " stream thread CPU %.2f s, JVM CPU %.2f s, load %.2f, CPU stolen %.1f %%%n",
              round + 1,
              variant.label(),
              drain.fromStartNanos() / 1e9,
              drain.fromRunningNanos() / 1e9,
              bench.totalInputs() / (drain.fromRunningNanos() / 1e9),
              drain.streamCpuNanos() / 1e9,
              drain.processCpuNanos() / 1e9,
              loadAverage(),
              drain.stolenPercent());
        }
      }
      if (rounds > 0) {
        bench.report(drains, rounds);
      }
      bench.compare(
          StreamsConfig.MAX_TASK_IDLE_MS_CONFIG,
          List.of("0", "-1"),
          parsed.integer("idlePairs", 0));
      bench.compare(
          StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG),
          parsed.texts("compressions", "none," + StreamsSettings.DEFAULT_COMPRESSION_TYPE),
          parsed.integer("compressionPairs", 0));
      bench.compare(
          StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
          parsed.texts("fetchBytes", "1048576,262144"),
          parsed.integer("fetchPairs", 0));
      if (profile) {
        try (TempDirectory dir = new TempDirectory("prebuilds-bench-profile-");
            StreamThreadProfile recording = StreamThreadProfile.start(dir.path())) {
          Drain drain = bench.drain(Variant.OURS_EOS, rounds);
          out.printf(
              Locale.ROOT,
              "%n## profile of one more drain of ours under EOS (%.2f s from RUNNING)%n",
              drain.fromRunningNanos() / 1e9);
          recording.report(out, 25);
        }
      }
    }
  }

  /**
   * Our drain under EOS with {@code setting} at each of {@code values}, {@code pairs} times each,
   * alternating which goes first: whether a setting pays, side by side in one JVM ({@code
   * idlePairs}: {@code max.task.idle.ms} 0, Kafka's default, against -1; {@code compressionPairs}:
   * the producers' {@code compression.type} at each of {@code compressions}, by default none,
   * Kafka's default, against the application's; {@code fetchPairs}: the consumer's {@code
   * max.partition.fetch.bytes} at each of {@code fetchBytes}).
   */
  private void compare(String setting, List<String> values, int pairs) throws Exception {
    if (pairs == 0) {
      return;
    }
    String before = overrides.get(setting);
    Map<String, List<Drain>> byValue = new TreeMap<>();
    for (int pair = 0; pair < pairs; pair++) {
      List<String> order = new ArrayList<>(values);
      if (pair % 2 == 1) {
        Collections.reverse(order);
      }
      for (String value : order) {
        overrides.put(setting, value);
        Drain drain = drain(Variant.OURS_EOS, 100 + pair);
        byValue.computeIfAbsent(value, k -> new ArrayList<>()).add(drain);
        out.printf(
            Locale.ROOT,
            "pair %d, %s=%s: %.2f s from RUNNING, stream thread CPU %.2f s, JVM CPU %.2f s,"
                + " CPU stolen %.1f %%%s%n",
            pair + 1,
            setting,
            value,
            drain.fromRunningNanos() / 1e9,
            drain.streamCpuNanos() / 1e9,
            drain.processCpuNanos() / 1e9,
            drain.stolenPercent(),
            claimsDecided(drain.claims()));
      }
    }
    if (before == null) {
      overrides.remove(setting);
    } else {
      overrides.put(setting, before);
    }
    byValue.forEach(
        (value, drains) ->
            out.printf(
                Locale.ROOT,
                "%s=%s: median %.2f s from RUNNING, median stream thread CPU %.2f s, median JVM"
                    + " CPU %.2f s%n",
                setting,
                value,
                median(drains, Drain::fromRunningNanos) / 1e9,
                median(drains, Drain::streamCpuNanos) / 1e9,
                median(drains, Drain::processCpuNanos) / 1e9));
  }

  private static long median(List<Drain> drains, ToLongFunction<Drain> nanos) {
    Samples samples = new Samples();
    drains.forEach(drain -> samples.add(nanos.applyAsLong(drain)));
    return samples.medianNanos();
  }

  private void createTopics() {
    List<NewTopic> topics = new ArrayList<>();
    Topics.all().forEach(t -> topics.add(t.newTopic(partitions, (short) 1)));
    topics.add(new NewTopic(PASS_THROUGH_OUTPUT, partitions, (short) 1));
    broker.createTopics(topics);
  }

  /** How long the claims sent during a drain waited to be decided, or nothing without claims. */
  private static String claimsDecided(Samples claims) {
    if (claims.count() == 0) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "; %,d claims decided after p50 %s ms, p99 %s ms, max %s ms",
        claims.count(),
        Samples.millis(claims.medianNanos()),
        Samples.millis(claims.percentileNanos(99)),
        Samples.millis(claims.maxNanos()));
  }

  /**
   * Template snapshots first (they define the presets), then the build events: round {@code r}
   * sends event {@code r} of every workspace's history, so each workspace's events stay in order on
   * its preset's partition and every preset sees traffic throughout the drain.
   */
  private void preProduce(int events) throws Exception {
    EventCodec codec = EventCodec.create();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    long started = System.nanoTime();
    AtomicLong bytes = new AtomicLong();
    List<E2eTraffic.Workspace> workspaces = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      int templates = presets / BenchPresets.PRESETS_PER_TEMPLATE;
      for (int t = 0; t < templates; t++) {
        Envelope<TemplateSnapshot> template =
            E2eTraffic.template(t, 1, BenchPresets.PRESETS_PER_TEMPLATE);
        byte[] value = codec.encode(template);
        bytes.addAndGet(value.length);
        producer.send(
            new ProducerRecord<>(Topics.TEMPLATES.name(), template.data().templateId(), value));
        for (int i = 0; i < BenchPresets.PRESETS_PER_TEMPLATE; i++) {
          PresetDefinition preset =
              E2eTraffic.definition(t * BenchPresets.PRESETS_PER_TEMPLATE + i, 1);
          workspaces.addAll(E2eTraffic.initialPool(preset, template));
        }
      }
      producer.flush();
      int steps = (events + workspaces.size() - 1) / workspaces.size();
      Instant now = Instant.now();
      int sent = 0;
      for (int step = 0; step < steps && sent < events; step++) {
        Instant at = E2eTraffic.before(now, (steps - step) * 60L);
        for (E2eTraffic.Workspace workspace : workspaces) {
          if (sent == events) {
            break;
          }
          byte[] value =
              codec.encode(
                  Envelope.of(
                      E2eTraffic.PROVISIONER_SOURCE,
                      workspace.workspaceId() + "/" + step,
                      at,
                      E2eTraffic.history(workspace, step, at)));
          bytes.addAndGet(value.length);
          producer.send(
              new ProducerRecord<>(Topics.BUILDS.name(), workspace.presetId(), value),
              (metadata, error) -> {
                if (error != null) {
                  throw new IllegalStateException("pre-produce failed", error);
                }
              });
          sent++;
        }
      }
      producer.flush();
    }
    endOffsets = endOffsets(List.of(Topics.TEMPLATES.name(), Topics.BUILDS.name()));
    out.printf(
        Locale.ROOT,
        "pre-produced %,d template snapshots and %,d build events (%,d workspaces, %.1f MB) in"
            + " %.1f s%n",
        presets / BenchPresets.PRESETS_PER_TEMPLATE,
        events,
        workspaces.size(),
        bytes.get() / 1e6,
        (System.nanoTime() - started) / 1e9);
  }

  /** The build events: what the timed drain handles (the templates were taken in before). */
  private long totalInputs() {
    return endOffsets.entrySet().stream()
        .filter(e -> e.getKey().topic().equals(Topics.BUILDS.name()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private Map<TopicPartition, Long> endOffsets(List<String> topics) throws Exception {
    try (Admin admin = broker.admin()) {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (String topic : topics) {
        for (int p = 0; p < partitions; p++) {
          request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    }
  }

  private Topology topology(Variant variant, WorkCounts counts) {
    if (variant.ours) {
      // unpaced: the untimed first phase decides every definition, none is left for the drain
      return PrebuildsTopology.build(
          TopologySettings.defaults(partitions).withDecisionsPerSecond(DecisionPacer.UNPACED),
          counts);
    }
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, byte[]> input =
        builder.stream(
            List.of(Topics.TEMPLATES.name(), Topics.BUILDS.name()),
            Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("pass-through-source"));
    if (variant.kind == Kind.READ_MODIFY_WRITE) {
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(RMW_STORE), Serdes.String(), Serdes.ByteArray()));
      input = input.process(ReadModifyWrite::new, Named.as("read-modify-write"), RMW_STORE);
    }
    if (variant.kind == Kind.DECODE_ONLY) {
      EventCodec codec = EventCodec.create();
      input =
          input.filter(
              (key, value) -> codec.decode(value) instanceof Decoded.Accepted<?>,
              Named.as("decode-only"));
    }
    input.to(
        PASS_THROUGH_OUTPUT,
        Produced.with(Serdes.String(), Serdes.ByteArray()).withName("pass-through-sink"));
    return builder.build();
  }

  private static final String RMW_STORE = "rmw";

  private static final List<String> OUTPUT_TOPICS =
      List.of(
          Topics.COMMANDS.name(),
          Topics.PRESET_STATE.name(),
          Topics.CLAIM_RESULTS.name(),
          Topics.NOTIFICATIONS.name(),
          Topics.DLQ.name());

  /** Reads the key's last value, writes the new one (one state record per event) and forwards. */
  private static final class ReadModifyWrite implements Processor<String, byte[], String, byte[]> {
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
      this.store = context.getStateStore(RMW_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
      byte[] before = store.get(record.key());
      byte[] after = record.value();
      if (before != null && before.length > 0 && after != null && after.length > 0) {
        after = after.clone();
        after[after.length - 1] = before[before.length - 1];
      }
      store.put(record.key(), after);
      context.forward(record.withValue(after));
    }
  }

  /**
   * One drain in two phases under one {@code application.id} and state directory. First the
   * application takes in the template snapshots alone (the build events are skipped by committing
   * their end offsets for the group beforehand) until it has caught up, including its own
   * repartition topics and command results, and closes cleanly. Then the build events are rewound
   * for the group and the application starts again on its stores: the timed drain, the steady state
   * where the presets are defined when their build events arrive. Kafka Streams runs with its
   * defaults ({@code max.task.idle.ms=0}), as in production.
   */
  private Drain drain(Variant variant, int round) throws Exception {
    String applicationId =
        "bench-"
            + variant.name().toLowerCase(Locale.ROOT).replace('_', '-')
            + "-"
            + round
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    try (TempDirectory state = new TempDirectory("prebuilds-bench-drain-");
        Admin admin = broker.admin()) {
      if (variant.ours) {
        broker.createTopics(internalTopics(applicationId, partitions));
      } else if (variant.kind == Kind.READ_MODIFY_WRITE) {
        broker.createTopics(
            List.of(
                new NewTopic(applicationId + "-" + RMW_STORE + "-changelog", partitions, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact"))));
      }
      define(variant, applicationId, state, admin);
      // what this drain writes is reported once per variant of ours
      boolean reportWrites = variant.ours && round == 0;
      Map<TopicPartition, Long> outputsBefore = reportWrites ? endOffsets(OUTPUT_TOPICS) : Map.of();
      WorkCounts counts = new WorkCounts();
      AtomicLong runningAt = new AtomicLong();
      KafkaStreams streams =
          new KafkaStreams(topology(variant, counts), props(variant, applicationId, state, counts));
      // counts what the restart restores: nothing, unless a task was taken for corrupted
      Health health = new Health();
      streams.setGlobalStateRestoreListener(health.restoreListener());
      streams.setStateListener(
          (next, previous) -> {
            if (next == KafkaStreams.State.RUNNING) {
              runningAt.compareAndSet(0, System.nanoTime());
            }
          });
      long started = System.nanoTime();
      long processCpuBefore = ThreadCpu.processNanos();
      ThreadCpu threadCpu = ThreadCpu.start();
      CpuSteal steal = CpuSteal.start();
      streams.start();
      long cpu;
      Samples claims = new Samples();
      try (CatchUpClaims catchUp =
          variant.ours && claimsPerSecond > 0
              ? CatchUpClaims.start(broker, presets, claimsPerSecond, applicationId)
              : null) {
        awaitCommitted(admin, applicationId, variant, () -> endOffsets);
        if (catchUp != null) {
          claims = catchUp.stop(Duration.ofSeconds(30));
        }
        cpu = ThreadCpu.streamThreadNanos(applicationId);
        printThreadCpu(variant, threadCpu.stop());
        printWaits(variant, streams);
      } finally {
        streams.close(Duration.ofSeconds(60));
      }
      long done = System.nanoTime();
      long processCpu = ThreadCpu.processNanos() - processCpuBefore;
      streams.cleanUp();
      long running = runningAt.get() == 0 ? started : runningAt.get();
      if (variant.ours) {
        out.printf(
            Locale.ROOT,
            "  %s: %s; %,d changelog records restored on the restart before the timed drain%n",
            variant.label(),
            counts,
            health.restoredRecords());
        if (reportWrites) {
          printWritten(admin, applicationId);
          printOutputs(outputsBefore, endOffsets(OUTPUT_TOPICS));
        }
      }
      return new Drain(
          variant, done - started, done - running, cpu, processCpu, steal.stolenPercent(), claims);
    }
  }

  private Properties props(
      Variant variant, String applicationId, TempDirectory state, WorkCounts counts) {
    Properties props =
        streamsProperties(broker, applicationId, variant.guarantee, state, commitMs, threads);
    if (variant.ours) {
      props.putAll(PrebuildsTopology.requiredStreamsConfig(counts));
    }
    props.putAll(overrides);
    return props;
  }

  /**
   * A benchmark's Kafka Streams client on the in-process broker: internal topics with one replica,
   * the given guarantee, commit interval and stream threads, state in {@code state}, and the
   * application's defaults for producer compression, task idling and the main consumer's fetch size
   * (so every variant runs as the service does).
   */
  static Properties streamsProperties(
      BenchBroker broker,
      String applicationId,
      String guarantee,
      TempDirectory state,
      int commitMs,
      int threads) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.path().toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, StreamsSettings.DEFAULT_COMPRESSION_TYPE);
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsSettings.DEFAULT_MAX_TASK_IDLE_MS);
    props.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        StreamsSettings.DEFAULT_MAIN_CONSUMER_FETCH_BYTES);
    return props;
  }

  /**
   * The untimed first phase: the template snapshots only, until the application has caught up with
   * them and with what it wrote to its own inputs (repartition topics, command results); then the
   * build events are rewound for the timed drain.
   */
  private void define(Variant variant, String applicationId, TempDirectory state, Admin admin)
      throws Exception {
    List<String> skipped = List.of(Topics.BUILDS.name(), Topics.COMMAND_RESULTS.name());
    Map<TopicPartition, Long> skip = endOffsets(skipped);
    commitOffsets(admin, applicationId, skip);
    KafkaStreams streams =
        new KafkaStreams(
            topology(variant, new WorkCounts()),
            props(variant, applicationId, state, new WorkCounts()));
    streams.start();
    try {
      awaitCommitted(
          admin,
          applicationId,
          variant,
          () -> {
            try {
              List<String> topics = new ArrayList<>(List.of(Topics.TEMPLATES.name()));
              if (variant.ours) {
                topics.add(Topics.COMMAND_RESULTS.name());
                admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(applicationId) && t.endsWith("-repartition"))
                    .forEach(topics::add);
              }
              return endOffsets(topics);
            } catch (Exception e) {
              throw new IllegalStateException("cannot read the end offsets", e);
            }
          });
    } finally {
      // leave the group, so that its offsets can be rewound at once
      streams.close(
          CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(Duration.ofSeconds(60)));
    }
    Map<TopicPartition, Long> rewind = new HashMap<>();
    endOffsets.keySet().stream()
        .filter(tp -> tp.topic().equals(Topics.BUILDS.name()))
        .forEach(tp -> rewind.put(tp, 0L));
    commitOffsets(admin, applicationId, rewind);
  }

  private static void commitOffsets(
      Admin admin, String applicationId, Map<TopicPartition, Long> offsets) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    offsets.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
    admin.alterConsumerGroupOffsets(applicationId, commit).all().get();
  }

  /**
   * Our topology's internal topics, created before the application starts, with the settings Kafka
   * Streams would give them. Left to Kafka Streams, they are created a moment before the first
   * transaction writes to them, and on this single in-process broker that write can race the
   * partition's leadership and abort the transaction (OutOfOrderSequenceException), which would add
   * a task recovery of random length to some drains.
   */
  static List<NewTopic> internalTopics(String applicationId, int partitions) {
    List<NewTopic> topics = new ArrayList<>();
    for (String store :
        List.of(
            PrebuildsTopology.TEMPLATE_PRESETS_STORE,
            PrebuildsTopology.PRESET_STATE_STORE,
            PrebuildsTopology.DUE_INDEX_STORE,
            PrebuildsTopology.MEMBERSHIPS_STORE)) {
      topics.add(
          new NewTopic(applicationId + "-" + store + "-changelog", partitions, (short) 1)
              .configs(Map.of("cleanup.policy", "compact")));
    }
    TopologySettings settings = TopologySettings.defaults(partitions);
    Map<String, Duration> windowed =
        Map.of(
            PrebuildsTopology.SEEN_EVENTS_STORE, settings.dedupeRetention(),
            PrebuildsTopology.CLAIM_RESULTS_STORE, settings.claimRetention());
    windowed.forEach(
        (store, retention) ->
            topics.add(
                new NewTopic(applicationId + "-" + store + "-changelog", partitions, (short) 1)
                    .configs(
                        Map.of(
                            "cleanup.policy",
                            "compact,delete",
                            "retention.ms",
                            Long.toString(retention.plus(Duration.ofDays(1)).toMillis())))));
    topics.add(
        new NewTopic(
                applicationId + "-" + PrebuildsTopology.DEFINITIONS_REPARTITION + "-repartition",
                partitions,
                (short) 1)
            .configs(Map.of("cleanup.policy", "delete", "retention.ms", "-1")));
    return topics;
  }

  /**
   * Records and bytes on the broker for the application's internal topics (records here include
   * transaction markers): how much a drain of ours writes besides its outputs.
   */
  private void printWritten(Admin admin, String applicationId) throws Exception {
    Set<String> topics = new TreeSet<>();
    for (String name : admin.listTopics().names().get()) {
      if (name.startsWith(applicationId)) {
        topics.add(name);
      }
    }
    Map<String, Long> bytes = new TreeMap<>();
    admin
        .describeLogDirs(admin.describeCluster().nodes().get().stream().map(Node::id).toList())
        .allDescriptions()
        .get()
        .values()
        .forEach(
            dirs ->
                dirs.values()
                    .forEach(
                        dir ->
                            dir.replicaInfos()
                                .forEach(
                                    (tp, info) -> {
                                      if (topics.contains(tp.topic())) {
                                        bytes.merge(tp.topic(), info.size(), Long::sum);
                                      }
                                    })));
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (String topic : topics) {
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
    }
    Map<String, Long> records = new TreeMap<>();
    admin
        .listOffsets(request)
        .all()
        .get()
        .forEach((tp, info) -> records.merge(tp.topic(), info.offset(), Long::sum));
    for (String topic : topics) {
      long n = records.getOrDefault(topic, 0L);
      long b = bytes.getOrDefault(topic, 0L);
      out.printf(
          Locale.ROOT,
          "    %-40s %,10d records %,8.1f MB %,7d bytes per record%n",
          topic.substring(applicationId.length() + 1),
          n,
          b / 1e6,
          n == 0 ? 0 : b / n);
    }
  }

  /**
   * Records the timed drain added to the application's output topics (with transaction markers
   * under exactly-once), per build event: what the read model, the workers and the broker receive.
   */
  private void printOutputs(Map<TopicPartition, Long> before, Map<TopicPartition, Long> after) {
    Map<String, Long> records = new TreeMap<>();
    after.forEach(
        (tp, end) -> records.merge(tp.topic(), end - before.getOrDefault(tp, 0L), Long::sum));
    double inputs = totalInputs();
    records.forEach(
        (topic, n) ->
            out.printf(
                Locale.ROOT,
                "    %-40s %,10d records %,8.2f per build event%n",
                topic,
                n,
                n / inputs));
  }

  /** Waits until the group's committed offsets reach the offsets {@code targets} gives. */
  private void awaitCommitted(
      Admin admin,
      String applicationId,
      Variant variant,
      Supplier<Map<TopicPartition, Long>> targets)
      throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
      boolean caughtUp = true;
      for (Map.Entry<TopicPartition, Long> end : targets.get().entrySet()) {
        OffsetAndMetadata offset = committed.get(end.getKey());
        if (end.getValue() > 0 && (offset == null || offset.offset() < end.getValue())) {
          caughtUp = false;
          break;
        }
      }
      if (caughtUp) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(variant.label() + " did not catch up within 30 minutes");
      }
      Thread.sleep(20);
    }
  }

  /** The kinds of thread that used at least 2 % of the drain's JVM CPU, largest first. */
  private static void printThreadCpu(Variant variant, Map<String, Double> byKind) {
    double total =
        byKind.entrySet().stream()
            .filter(e -> !e.getKey().contains(", wall)"))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    StringBuilder line = new StringBuilder("  JVM CPU of " + variant.label() + " by thread:");
    byKind.entrySet().stream()
        .filter(e -> e.getValue() >= 0.02 * total)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(
            e ->
                line.append(
                    String.format(
                        Locale.ROOT,
                        " %s %.1f s (%.0f %%);",
                        e.getKey(),
                        e.getValue(),
                        100 * e.getValue() / total)));
    out.println(line);
  }

  /**
   * Where the stream threads waited rather than ran, from Kafka's own client metrics (summed over
   * the client's threads): blocked on Kafka in total (KIP-761), and of that the producer's flushes
   * and transaction calls, the consumer's offset commits (at-least-once).
   */
  private static void printWaits(Variant variant, KafkaStreams streams) {
    Map<String, Double> totals = waitTotals(streams);
    StringBuilder line = new StringBuilder("  waits of " + variant.label() + ":");
    totals.forEach((k, v) -> line.append(String.format(Locale.ROOT, " %s %.2f s;", k, v / 1e9)));
    out.println(line);
  }

  /** The metrics {@link #waitTotals} sums. */
  static final Set<String> WAIT_METRICS =
      Set.of(
          "blocked-time-ns-total",
          "flush-time-ns-total",
          "txn-commit-time-ns-total",
          "txn-send-offsets-time-ns-total",
          "txn-begin-time-ns-total",
          "committed-time-ns-total",
          "commit-sync-time-ns-total");

  /**
   * Running totals, in nanoseconds, of the stream threads' time blocked on Kafka (KIP-761) and of
   * the parts of it the clients measure: the producer's flushes and transaction calls, the
   * consumer's offset commits.
   */
  static Map<String, Double> waitTotals(KafkaStreams streams) {
    return kafkaTotals(streams, WAIT_METRICS);
  }

  /** The stream threads' time blocked on Kafka so far (KIP-761), in nanoseconds. */
  static Map<String, Double> kafkaWaits(KafkaStreams streams) {
    return kafkaTotals(streams, Set.of("blocked-time-ns-total"));
  }

  /** Running totals of the named client metrics, summed over threads, by group and name. */
  static Map<String, Double> kafkaTotals(KafkaStreams streams, Set<String> wanted) {
    Map<String, Double> totals = new TreeMap<>();
    streams
        .metrics()
        .forEach(
            (name, metric) -> {
              if (wanted.contains(name.name()) && metric.metricValue() instanceof Number n) {
                totals.merge(name.group() + " " + name.name(), n.doubleValue(), Double::sum);
              }
            });
    return totals;
  }

  private void report(List<Drain> drains, int rounds) {
    long inputs = totalInputs();
    out.printf(
        Locale.ROOT,
        "%n| round | variant | s from start | s from RUNNING | events/s | stream thread CPU s |"
            + " events per CPU s | JVM CPU s |%n|---|---|---:|---:|---:|---:|---:|---:|%n");
    for (int i = 0; i < drains.size(); i++) {
      Drain d = drains.get(i);
      out.printf(
          Locale.ROOT,
          "| %d | %s | %.2f | %.2f | %,.0f | %.2f | %,.0f | %.2f |%n",
          i / Variant.values().length + 1,
          d.variant().label(),
          d.fromStartNanos() / 1e9,
          d.fromRunningNanos() / 1e9,
          inputs / (d.fromRunningNanos() / 1e9),
          d.streamCpuNanos() / 1e9,
          inputs / (d.streamCpuNanos() / 1e9),
          d.processCpuNanos() / 1e9);
    }
    out.printf(
        Locale.ROOT,
        "%n| round | ours ÷ pass-through, EOS (wall) | at-least-once (wall) | EOS (CPU) |"
            + " at-least-once (CPU) | decode-only ÷ pass-through, EOS (wall) | at-least-once"
            + " (wall) | read-modify-write ÷ pass-through, EOS (wall) | at-least-once (wall) |"
            + " ours ÷ read-modify-write, EOS (wall) | at-least-once (wall) |"
            + " ours ÷ decode-only, EOS (CPU) | at-least-once (CPU) |"
            + "%n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
    for (int round = 0; round < rounds; round++) {
      Map<Variant, Drain> byVariant = new HashMap<>();
      int n = Variant.values().length;
      for (Drain d : drains.subList(round * n, round * n + n)) {
        byVariant.put(d.variant(), d);
      }
      out.printf(
          Locale.ROOT,
          "| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
          round + 1,
          ratio(byVariant, Variant.PASS_THROUGH_EOS, Variant.OURS_EOS, false),
          ratio(byVariant, Variant.PASS_THROUGH_ALOS, Variant.OURS_ALOS, false),
          ratio(byVariant, Variant.PASS_THROUGH_EOS, Variant.OURS_EOS, true),
          ratio(byVariant, Variant.PASS_THROUGH_ALOS, Variant.OURS_ALOS, true),
          ratio(byVariant, Variant.PASS_THROUGH_EOS, Variant.DECODE_ONLY_EOS, false),
          ratio(byVariant, Variant.PASS_THROUGH_ALOS, Variant.DECODE_ONLY_ALOS, false),
          ratio(byVariant, Variant.PASS_THROUGH_EOS, Variant.READ_MODIFY_WRITE_EOS, false),
          ratio(byVariant, Variant.PASS_THROUGH_ALOS, Variant.READ_MODIFY_WRITE_ALOS, false),
          ratio(byVariant, Variant.READ_MODIFY_WRITE_EOS, Variant.OURS_EOS, false),
          ratio(byVariant, Variant.READ_MODIFY_WRITE_ALOS, Variant.OURS_ALOS, false),
          ratio(byVariant, Variant.DECODE_ONLY_EOS, Variant.OURS_EOS, true),
          ratio(byVariant, Variant.DECODE_ONLY_ALOS, Variant.OURS_ALOS, true));
    }
  }

  /** Throughput of one variant over another's = the other's time over this one's. */
  private static double ratio(
      Map<Variant, Drain> drains, Variant reference, Variant measured, boolean cpu) {
    Drain p = drains.get(reference);
    Drain o = drains.get(measured);
    return cpu
        ? (double) p.streamCpuNanos() / o.streamCpuNanos()
        : (double) p.fromRunningNanos() / o.fromRunningNanos();
  }

  static double loadAverage() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os.getSystemLoadAverage();
  }
}
