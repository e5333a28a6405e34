package io.prebuilds.topology;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import io.prebuilds.bench.BenchArgs;
import io.prebuilds.bench.BenchBroker;
import io.prebuilds.bench.CpuSteal;
import io.prebuilds.bench.Machine;
import io.prebuilds.bench.PauseSampler;
import io.prebuilds.bench.Samples;
import io.prebuilds.bench.TempDirectory;
import io.prebuilds.reconcile.PresetDefinition;
import io.prebuilds.runtime.config.StreamsSettings;
import io.prebuilds.schemas.Decoded;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.ClaimResult;
import io.prebuilds.schemas.event.ClaimWorkspace;
import io.prebuilds.schemas.event.Claimed;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.Transition;

/**
 * Claim latency under load on the in-process broker (issue 7, part 2): our topology under {@code
 * exactly_once_v2} with a given {@code commit.interval.ms}, a provisioner that answers its
 * commands, background traffic of {@code buildsPerSecond} build events (restarts of running
 * prebuilds, each a successful start build followed by its agents becoming ready) and {@code
 * claimsPerSecond} claims, while a template update rolls {@code rollover} presets to a new version
 * (their pools are deleted and the new version's pools created and answered).
 *
 * <p>Latency of a claim: from just before the claim is handed to the producer to the moment a
 * {@code read_committed} consumer of {@code prebuilds.claim-results.v1} receives its result, both
 * on this JVM's monotonic clock. A warm-up with the same load, a rollover included (to version 2;
 * the measured one goes to version 3), precedes the measured period, so the JIT has compiled every
 * path the measured period takes. Per second, the slowest claim is shown beside GC pauses, CPU by
 * thread and Kafka's blocked time ({@link PauseSampler}). {@code idleMs} sets {@code
 * max.task.idle.ms}, one value for every configuration or one per commit interval, for an A/B in
 * one JVM; {@code compression} does the same for the producers' {@code compression.type} (the
 * application's default when absent), {@code lingerMs} for the producers' {@code linger.ms}
 * (likewise; the application sets none, so Kafka Streams' 100 ms), {@code fetchBytes} for the main
 * consumer's {@code max.partition.fetch.bytes} (likewise), {@code rolloverSpreadMs} for how long
 * the rollover's template snapshots take to go out (evenly spaced; 0 = all at once), and {@code
 * decisionsPerSecond} for the app's pacing of timer and definition decisions ({@link
 * DecisionPacer}; 0 = unpaced, the app's default when absent). {@code profile=true} records the
 * stream thread's samples in each measured period ({@link StreamThreadProfile}; not for latency
 * figures: sampling costs the stream thread). Each commit interval runs on a fresh broker, one
 * after the other, so they can be compared side by side.
 *
 * <pre>
 * mvn -DskipTests -pl streams-app -am verify -Dbench=streams-app \
 *   -Dbench.main=io.prebuilds.topology.ClaimLatencyBench \
 *   -Dbench.args="presets=2000 seconds=60 warmup=20 commitMs=100,20"
 * </pre>
 */
public final class ClaimLatencyBench {

  private static final PrintStream out = System.out;
  private static final String CLAIM_SOURCE = "/bench/claims";
  private static final String LINGER_DEFAULT = "default";

  private final EventCodec codec = EventCodec.create();
  private final BenchBroker broker;
  private final int presets;
  private final int partitions;
  private final int threads;
  private final int rolloverPresets;
  private final int rolloverSpreadMs;
  private final int decisionsPerSecond;
  private final int claimCommitWithinMs;
  private final boolean profiled;

  /** Running, unclaimed prebuilds the background traffic restarts, by workspace id. */
  private final Map<String, Live> live = new ConcurrentHashMap<>();

  /** Send time of every measured claim, by claim id; results matched against it. */
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

  private final Map<String, Long> latencies = new ConcurrentHashMap<>();

  /** Wall-clock send time of every measured claim, to compare with its result's timestamp. */
  private final Map<String, Long> sentAtMillis = new ConcurrentHashMap<>();

  /** How long after it was sent each claim was answered: its result's timestamp, in ms. */
  private final Map<String, Long> answeredAfterMillis = new ConcurrentHashMap<>();

  private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicLong buildEventsSent = new AtomicLong();
  private final AtomicLong answers = new AtomicLong();

  /** A prebuild the provisioner made, with its latest build number. */
  private record Live(E2eTraffic.Workspace workspace, AtomicInteger buildNumber) {}

  private ClaimLatencyBench(
      BenchBroker broker,
      int presets,
      int partitions,
      int threads,
      int rolloverPresets,
      int rolloverSpreadMs,
      int decisionsPerSecond,
      int claimCommitWithinMs,
      boolean profiled) {
    this.broker = broker;
    this.presets = presets;
    this.partitions = partitions;
    this.threads = threads;
    this.rolloverPresets = rolloverPresets;
    this.rolloverSpreadMs = rolloverSpreadMs;
    this.decisionsPerSecond = decisionsPerSecond;
    this.claimCommitWithinMs = claimCommitWithinMs;
    this.profiled = profiled;
  }

  /** One commit interval's result. */
  private record Result(
      int commitMs,
      int idleMs,
      String compression,
      String lingerMs,
      String fetchBytes,
      int rolloverSpreadMs,
      int decisionsPerSecond,
      int claimCommitWithinMs,
      Samples latency,
      Map<String, Integer> outcomes,
      int unanswered,
      double buildsPerSecond,
      double claimsPerSecond,
      double loadAverage,
      double streamThreadCpuMsPerSecond,
      double gcPauseMsPerSecond,
      double stolenPercent,
      TailSplit tail) {}

  /**
   * Whether the rollover still makes the tail: the slowest claim sent in the rollover's second or
   * the next, against the other seconds (their slowest, the median of each one's slowest, and how
   * many had a claim over 100 ms).
   */
  private record TailSplit(
      long rolloverSlowestNanos,
      long elsewhereSlowestNanos,
      long elsewhereMedianNanos,
      int elsewhereSecondsOver100Ms) {}

  public static void main(String[] args) throws Exception {
    BenchArgs parsed =
        BenchArgs.parse(
            args,
            Set.of(
                "presets",
                "seconds",
                "warmup",
                "buildsPerSecond",
                "claimsPerSecond",
                "rollover",
                "partitions",
                "commitMs",
                "threads",
                "idleMs",
                "compression",
                "lingerMs",
                "rolloverSpreadMs",
                "decisionsPerSecond",
                "fetchBytes",
                "claimCommitWithinMs",
                "profile"));
    int presets = parsed.integer("presets", 2_000);
    int seconds = parsed.integer("seconds", 60);
    int warmup = parsed.integer("warmup", 20);
    // the background's build events per second, one value for all or one per configuration
    List<Integer> buildsPerSecond = parsed.integers("buildsPerSecond", "2000");
    int claimsPerSecond = parsed.integer("claimsPerSecond", 50);
    int rollover = parsed.integer("rollover", 100);
    int partitions = parsed.integer("partitions", 8);
    int threads = parsed.integer("threads", 1);
    List<Integer> commitIntervals = parsed.integers("commitMs", "100,20");
    // max.task.idle.ms per configuration, one value for all or one per commit interval; the
    // application's default when absent
    List<Integer> idle = parsed.integers("idleMs", StreamsSettings.DEFAULT_MAX_TASK_IDLE_MS);
    // the producers' compression.type the same way; the application's default when absent
    List<String> compression =
        parsed.texts("compression", StreamsSettings.DEFAULT_COMPRESSION_TYPE);
    // the producers' linger.ms the same way; "default" (or absent) leaves the application's
    List<String> linger = parsed.texts("lingerMs", LINGER_DEFAULT);
    // the main consumer's max.partition.fetch.bytes the same way; the application's when absent
    List<String> fetchBytes =
        parsed.texts("fetchBytes", StreamsSettings.DEFAULT_MAIN_CONSUMER_FETCH_BYTES);
    // over how many ms the rollover's template snapshots go out (evenly), the same way; 0 = at once
    List<Integer> spread = parsed.integers("rolloverSpreadMs", "0");
    // how fresh an answered claim must be to request a commit, the same way; 0 = never; the
    // application's when absent
    List<Integer> claimCommitWithin =
        parsed.integers(
            "claimCommitWithinMs",
            String.valueOf(TopologySettings.DEFAULT_CLAIM_COMMIT_WITHIN.toMillis()));
    // the app's paced decisions per second, the same way; 0 = unpaced
    List<Integer> paced =
        parsed.integers(
            "decisionsPerSecond", String.valueOf(TopologySettings.DEFAULT_DECISIONS_PER_SECOND));
    out.printf(Locale.ROOT, "# machine: %s%n", Machine.describe());
    out.printf(
        Locale.ROOT,
        "# claim latency: %,d presets, %s build events/s and %,d claims/s for %d s after a %d s"
            + " warm-up, rollover of %d presets, %d partitions, %d stream thread(s),"
            + " commit.interval.ms %s, max.task.idle.ms %s, compression.type %s, linger.ms %s,"
            + " fetch bytes %s,"
            + " rollover spread ms %s, paced decisions/s %s, claim commit within ms %s, load average %.2f%n",
        presets,
        buildsPerSecond,
        claimsPerSecond,
        seconds,
        warmup,
        rollover,
        partitions,
        threads,
        commitIntervals,
        idle,
        compression,
        linger,
        fetchBytes,
        spread,
        paced,
        claimCommitWithin,
        DrainBench.loadAverage());
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < commitIntervals.size(); i++) {
      int idleMs = forConfiguration(idle, i);
      String compressionType = forConfiguration(compression, i);
      try (BenchBroker broker = BenchBroker.start()) {
        ClaimLatencyBench bench =
            new ClaimLatencyBench(
                broker,
                presets,
                partitions,
                threads,
                rollover,
                forConfiguration(spread, i),
                forConfiguration(paced, i),
                forConfiguration(claimCommitWithin, i),
                Boolean.parseBoolean(parsed.text("profile", "false")));
        results.add(
            bench.run(
                commitIntervals.get(i),
                idleMs,
                compressionType,
                forConfiguration(linger, i),
                forConfiguration(fetchBytes, i),
                warmup,
                seconds,
                forConfiguration(buildsPerSecond, i),
                claimsPerSecond));
      }
    }
    out.printf(
        Locale.ROOT,
        "%n| commit.interval.ms | max.task.idle.ms | compression.type | linger.ms | fetch bytes | rollover spread ms | paced decisions/s | claim commit within ms | claims measured | p50 ms | p90 ms | p99 ms | max ms | outcomes |"
            + " unanswered | build events/s sent | claims/s sent | load average | stream thread CPU ms/s |"
            + " GC pause ms/s | CPU stolen %% | slowest in the"
            + " rollover seconds ms | slowest elsewhere ms | median of each other second's slowest"
            + " ms | other seconds over 100 ms |%n"
            + "|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
    for (Result r : results) {
      out.printf(
          Locale.ROOT,
          "| %d | %d | %s | %s | %s | %d | %d | %d | %,d | %s | %s | %s | %s | %s | %d | %,.0f | %.1f | %.1f | %.0f |"
              + " %.0f | %.1f | %s | %s | %s | %d |%n",
          r.commitMs(),
          r.idleMs(),
          r.compression(),
          r.lingerMs(),
          r.fetchBytes(),
          r.rolloverSpreadMs(),
          r.decisionsPerSecond(),
          r.claimCommitWithinMs(),
          r.latency().count(),
          Samples.millis(r.latency().medianNanos()),
          Samples.millis(r.latency().percentileNanos(90)),
          Samples.millis(r.latency().percentileNanos(99)),
          Samples.millis(r.latency().maxNanos()),
          r.outcomes(),
          r.unanswered(),
          r.buildsPerSecond(),
          r.claimsPerSecond(),
          r.loadAverage(),
          r.streamThreadCpuMsPerSecond(),
          r.gcPauseMsPerSecond(),
          r.stolenPercent(),
          Samples.millis(r.tail().rolloverSlowestNanos()),
          Samples.millis(r.tail().elsewhereSlowestNanos()),
          Samples.millis(r.tail().elsewhereMedianNanos()),
          r.tail().elsewhereSecondsOver100Ms());
    }
  }

  /** The running totals of {@link DrainBench#waitTotals} and the stream threads' commit count. */
  private static Map<String, Double> waitsAndCommits(KafkaStreams streams) {
    Set<String> wanted = new HashSet<>(DrainBench.WAIT_METRICS);
    wanted.add("commit-total");
    return DrainBench.kafkaTotals(streams, wanted);
  }

  /**
   * Where the stream thread waited on Kafka during the measured period, in ms per second: blocked
   * in total, and the producer's flushes and transaction calls that make up most of it under EOS;
   * and how many commits a second it made.
   */
  private void printWaits(Map<String, Double> before, Map<String, Double> after, double seconds) {
    StringBuilder line = new StringBuilder("  Kafka waits, ms per second:");
    after.forEach(
        (metric, total) -> {
          double delta = (total - before.getOrDefault(metric, 0.0)) / seconds;
          line.append(
              metric.endsWith("commit-total")
                  ? String.format(Locale.ROOT, " %s %.1f per second;", metric, delta)
                  : String.format(Locale.ROOT, " %s %.0f;", metric, delta / 1e6));
        });
    out.println(line);
  }

  /** A setting's value for configuration {@code i}: one value for all, or one per configuration. */
  private static <T> T forConfiguration(List<T> values, int i) {
    return values.get(values.size() == 1 ? 0 : i);
  }

  private Result run(
      int commitMs,
      int idleMs,
      String compression,
      String lingerMs,
      String fetchBytes,
      int warmupSeconds,
      int seconds,
      int buildsPerSecond,
      int claimsPerSecond)
      throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    Topics.all().forEach(t -> topics.add(t.newTopic(partitions, (short) 1)));
    String applicationId =
        "bench-claims-"
            + commitMs
            + "-idle"
            + idleMs
            + "-"
            + compression
            + "-linger"
            + lingerMs
            + "-fetch"
            + fetchBytes;
    topics.addAll(DrainBench.internalTopics(applicationId, partitions));
    broker.createTopics(topics);
    try (TempDirectory state = new TempDirectory("prebuilds-bench-claims-");
        KafkaProducer<String, byte[]> events = producer(5);
        KafkaProducer<String, byte[]> claims = producer(0);
        KafkaConsumer<String, byte[]> commands = consumer(applicationId + "-provisioner");
        KafkaConsumer<String, byte[]> results = consumer(applicationId + "-results")) {
      Properties props =
          DrainBench.streamsProperties(
              broker, applicationId, StreamsConfig.EXACTLY_ONCE_V2, state, commitMs, threads);
      props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, idleMs);
      props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), compression);
      if (!lingerMs.equals(LINGER_DEFAULT)) {
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), lingerMs);
      }
      props.put(
          StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
          fetchBytes);
      WorkCounts counts = new WorkCounts();
      props.putAll(PrebuildsTopology.requiredStreamsConfig(counts));
      KafkaStreams streams =
          new KafkaStreams(
              PrebuildsTopology.build(
                  TopologySettings.defaults(partitions)
                      .withDecisionsPerSecond(decisionsPerSecond)
                      .withClaimCommitWithin(Duration.ofMillis(claimCommitWithinMs)),
                  counts),
              props);
      streams.start();
      Thread provisioner = new Thread(() -> provision(commands, events), "bench-provisioner");
      Thread reader = new Thread(() -> readResults(results), "bench-claim-results");
      assignAll(commands, Topics.COMMANDS.name());
      assignAll(results, Topics.CLAIM_RESULTS.name());
      provisioner.start();
      reader.start();
      try {
        int expected = definePools(events);
        awaitPools(expected, applicationId);
        out.printf(
            Locale.ROOT,
            "commit.interval.ms=%d, max.task.idle.ms=%d, compression.type=%s: %,d prebuilds running;"
                + " warm-up %d s%n",
            commitMs,
            idleMs,
            compression,
            live.size(),
            warmupSeconds);
        // the warm-up rolls the same templates over once too, so the JIT has compiled that path
        load(
            events,
            claims,
            warmupSeconds,
            buildsPerSecond,
            claimsPerSecond,
            false,
            warmupSeconds / 3);
        awaitAnswered(Duration.ofSeconds(30));
        sentAt.clear();
        sentAtMillis.clear();
        answeredAfterMillis.clear();
        latencies.clear();
        outcomes.clear();
        buildEventsSent.set(0);
        double load = DrainBench.loadAverage();
        Map<String, Double> waitsBefore = waitsAndCommits(streams);
        PauseSampler pauses = new PauseSampler(() -> DrainBench.kafkaWaits(streams), applicationId);
        long started = pauses.startedNanos();
        CpuSteal steal = CpuSteal.start();
        int claimsSent;
        try (TempDirectory dir = new TempDirectory("prebuilds-bench-profile-");
            StreamThreadProfile profile = profiled ? StreamThreadProfile.start(dir.path()) : null) {
          claimsSent =
              load(events, claims, seconds, buildsPerSecond, claimsPerSecond, true, seconds / 4);
          if (profile != null) {
            out.printf(Locale.ROOT, "%n  profile of the measured period:%n");
            profile.report(out, 25);
          }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        printWaits(waitsBefore, waitsAndCommits(streams), elapsed);
        double stolen = steal.stolenPercent();
        pauses.close();
        double buildsRate = buildEventsSent.get() / elapsed;
        awaitAnswered(Duration.ofSeconds(30));
        load = Math.max(load, DrainBench.loadAverage());
        Samples samples = new Samples();
        latencies.values().forEach(samples::add);
        Map<String, Integer> byOutcome = new TreeMap<>();
        outcomes.forEach((k, v) -> byOutcome.put(k, v.get()));
        out.printf(Locale.ROOT, "  %s; %,d commands answered%n", counts, answers.get());
        printSlowest(started, seconds / 4);
        Map<Long, Long> slowestBySecond = slowestBySecond(started);
        printSeconds(started, slowestBySecond, pauses.seconds());
        TailSplit tail = tailSplit(slowestBySecond, seconds / 4);
        out.printf(
            Locale.ROOT,
            "  rollover seconds: slowest %s ms; other seconds: slowest %s ms, median of each"
                + " second's slowest %s ms, %d seconds with a claim over 100 ms%n",
            Samples.millis(tail.rolloverSlowestNanos()),
            Samples.millis(tail.elsewhereSlowestNanos()),
            Samples.millis(tail.elsewhereMedianNanos()),
            tail.elsewhereSecondsOver100Ms());
        return new Result(
            commitMs,
            idleMs,
            compression,
            lingerMs,
            fetchBytes,
            rolloverSpreadMs,
            decisionsPerSecond,
            claimCommitWithinMs,
            samples,
            byOutcome,
            sentAt.size() - latencies.size(),
            buildsRate,
            claimsSent / elapsed,
            load,
            perSecond(pauses.seconds(), PauseSampler.Second::streamThreadCpuMs),
            perSecond(pauses.seconds(), PauseSampler.Second::gcPauseMs),
            stolen,
            tail);
      } finally {
        stopped.set(true);
        provisioner.join();
        reader.join();
        streams.close(Duration.ofSeconds(60));
        streams.cleanUp();
      }
    }
  }

  /** Template snapshots for every preset; returns how many prebuilds the pools want. */
  private int definePools(KafkaProducer<String, byte[]> events) {
    int wanted = 0;
    for (int t = 0; t < presets / BenchPresets.PRESETS_PER_TEMPLATE; t++) {
      var template = E2eTraffic.template(t, 1, BenchPresets.PRESETS_PER_TEMPLATE);
      events.send(
          new ProducerRecord<>(
              Topics.TEMPLATES.name(), template.data().templateId(), codec.encode(template)));
      for (int i = 0; i < BenchPresets.PRESETS_PER_TEMPLATE; i++) {
        wanted += BenchPresets.desired(t * BenchPresets.PRESETS_PER_TEMPLATE + i);
      }
    }
    events.flush();
    return wanted;
  }

  /** Waits until the provisioner made every pool's prebuilds and the app read all it was sent. */
  private void awaitPools(int expected, String applicationId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (live.size() < expected) {
      check(deadline, "pools not filled: " + live.size() + " of " + expected);
      Thread.sleep(50);
    }
    try (Admin admin = broker.admin()) {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(Topics.BUILDS.name(), p), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(request).all().get();
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        boolean caughtUp =
            ends.entrySet().stream()
                .allMatch(
                    e ->
                        e.getValue().offset() == 0
                            || (committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() >= e.getValue().offset()));
        if (caughtUp) {
          return;
        }
        check(deadline, "the application did not catch up with the pools' build events");
        Thread.sleep(50);
      }
    }
  }

  /**
   * Sends the background build events and the claims at their rates for {@code seconds}, in 20 ms
   * steps that catch up with the schedule; the template update of the rollover goes out after
   * {@code rolloverAfter} seconds (never when negative). Returns how many claims were sent.
   */
  private int load(
      KafkaProducer<String, byte[]> events,
      KafkaProducer<String, byte[]> claims,
      int seconds,
      int buildsPerSecond,
      int claimsPerSecond,
      boolean measured,
      int rolloverAfter)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    long buildsSent = 0;
    int claimsSent = 0;
    int templates = rolloverAfter < 0 ? 0 : rolloverPresets / BenchPresets.PRESETS_PER_TEMPLATE;
    int templatesSent = 0;
    String run = measured ? "m" : "w";
    int version = measured ? 3 : 2;
    while (System.nanoTime() < end) {
      double elapsed = (System.nanoTime() - start) / 1e9;
      while (templatesSent < templates
          && elapsed >= rolloverAfter + templatesSent * (rolloverSpreadMs / 1000.0) / templates) {
        rolloverTemplate(events, templatesSent, version);
        templatesSent++;
        if (templatesSent == templates) {
          out.printf(
              Locale.ROOT,
              "  rollover of %d presets to version %d sent over %d ms%n",
              rolloverPresets,
              version,
              rolloverSpreadMs);
        }
      }
      long buildsDue = (long) (elapsed * buildsPerSecond);
      List<Live> running = new ArrayList<>(live.values());
      while (buildsSent + 2 <= buildsDue && !running.isEmpty()) {
        restart(events, running.get(ThreadLocalRandom.current().nextInt(running.size())));
        buildsSent += 2;
      }
      long claimsDue = (long) (elapsed * claimsPerSecond);
      while (claimsSent < claimsDue) {
        claim(claims, run + "-" + claimsSent);
        claimsSent++;
      }
      Thread.sleep(20);
    }
    events.flush();
    return claimsSent;
  }

  /** A restart of a running prebuild: its start build succeeded, then its agents are ready. */
  private void restart(KafkaProducer<String, byte[]> events, Live prebuild) {
    int buildNumber = prebuild.buildNumber().incrementAndGet();
    Instant now = Instant.now();
    E2eTraffic.Workspace workspace = prebuild.workspace();
    send(
        events,
        Topics.BUILDS.name(),
        workspace.presetId(),
        E2eTraffic.build(workspace, buildNumber, Optional.empty(), Transition.START, false, now));
    send(
        events,
        Topics.BUILDS.name(),
        workspace.presetId(),
        E2eTraffic.ready(workspace, buildNumber, now));
    buildEventsSent.addAndGet(2);
  }

  /**
   * When the slowest 1 % of the measured claims were sent, by second of the measured period: tells
   * a tail made by one event (the rollover at {@code rolloverSecond}) from one spread over the run
   * (commits, pauses).
   */
  private void printSlowest(long started, int rolloverSecond) {
    List<Map.Entry<String, Long>> slowest =
        latencies.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(Math.max(1, latencies.size() / 100))
            .toList();
    Map<Long, Integer> bySecond = new TreeMap<>();
    Samples answered = new Samples();
    Samples visible = new Samples();
    for (Map.Entry<String, Long> claim : slowest) {
      Long sent = sentAt.get(claim.getKey());
      if (sent != null) {
        bySecond.merge((sent - started) / 1_000_000_000L, 1, Integer::sum);
      }
      Long after = answeredAfterMillis.get(claim.getKey());
      if (after != null) {
        answered.add(after * 1_000_000L);
        visible.add(claim.getValue() - after * 1_000_000L);
      }
    }
    out.printf(
        Locale.ROOT,
        "  slowest 1 %%: answered (result timestamp) after p50 %s ms, max %s ms; then visible to"
            + " read_committed after p50 %s ms, max %s ms%n",
        Samples.millis(answered.medianNanos()),
        Samples.millis(answered.maxNanos()),
        Samples.millis(visible.medianNanos()),
        Samples.millis(visible.maxNanos()));
    out.printf(
        Locale.ROOT,
        "  slowest %d claims (1 %%) by second sent (rollover at %d s): %s%n",
        slowest.size(),
        rolloverSecond,
        bySecond);
  }

  /**
   * Per second of the measured period: the slowest claim sent in it beside what could have paused
   * the stream thread ({@link PauseSampler}), to tell whose pauses make the tail.
   */
  private void printSeconds(
      long started, Map<Long, Long> slowestBySecond, List<PauseSampler.Second> seconds) {
    Map<Long, Integer> claimsBySecond = new TreeMap<>();
    latencies.forEach(
        (claimId, nanos) -> {
          Long sent = sentAt.get(claimId);
          if (sent != null) {
            claimsBySecond.merge((sent - started) / 1_000_000_000L, 1, Integer::sum);
          }
        });
    out.printf(
        Locale.ROOT,
        "  | s | claims | slowest ms | GC pause ms | JVM late max ms | stream thread CPU ms |"
            + " process CPU ms | Kafka waits ms |%n");
    for (PauseSampler.Second s : seconds) {
      long second = s.second();
      out.printf(
          Locale.ROOT,
          "  | %d | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
          second,
          claimsBySecond.getOrDefault(second, 0),
          slowestBySecond.getOrDefault(second, 0L) / 1e6,
          s.gcPauseMs(),
          s.maxLateMs(),
          s.streamThreadCpuMs(),
          s.processCpuMs(),
          s.kafkaWaitMs());
    }
    // CPU by thread for every second with a claim over 100 ms, and second 5 (steady) to compare
    for (PauseSampler.Second s : seconds) {
      if (slowestBySecond.getOrDefault((long) s.second(), 0L) > 100_000_000L || s.second() == 5) {
        out.printf(Locale.ROOT, "  CPU ms by thread in second %d: %s%n", s.second(), top(s));
      }
    }
  }

  /** A per-second figure of the measured period, averaged over its seconds. */
  private static double perSecond(
      List<PauseSampler.Second> seconds, ToDoubleFunction<PauseSampler.Second> figure) {
    return seconds.stream().mapToDouble(figure).average().orElse(0);
  }

  /** The slowest measured claim sent in each second of the measured period. */
  private Map<Long, Long> slowestBySecond(long started) {
    Map<Long, Long> slowest = new TreeMap<>();
    latencies.forEach(
        (claimId, nanos) -> {
          Long sent = sentAt.get(claimId);
          if (sent != null) {
            slowest.merge((sent - started) / 1_000_000_000L, nanos, Math::max);
          }
        });
    return slowest;
  }

  private static TailSplit tailSplit(Map<Long, Long> slowestBySecond, int rolloverSecond) {
    long rollover = 0;
    Samples elsewhere = new Samples();
    int over100 = 0;
    for (Map.Entry<Long, Long> second : slowestBySecond.entrySet()) {
      long s = second.getKey();
      if (s == rolloverSecond || s == rolloverSecond + 1) {
        rollover = Math.max(rollover, second.getValue());
      } else {
        elsewhere.add(second.getValue());
        over100 += second.getValue() > 100_000_000L ? 1 : 0;
      }
    }
    return new TailSplit(rollover, elsewhere.maxNanos(), elsewhere.medianNanos(), over100);
  }

  private static String top(PauseSampler.Second second) {
    StringBuilder line = new StringBuilder();
    second.cpuMsByThreadKind().entrySet().stream()
        .filter(e -> e.getValue() >= 20)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(
            e -> line.append(String.format(Locale.ROOT, "%s %.0f; ", e.getKey(), e.getValue())));
    return line.toString();
  }

  /** A claim of a random preset of version 1 that the rollover leaves alone. */
  private void claim(KafkaProducer<String, byte[]> claims, String claimId) {
    int index = rolloverPresets + ThreadLocalRandom.current().nextInt(presets - rolloverPresets);
    PresetDefinition preset = E2eTraffic.definition(index, 1);
    byte[] value = codec.encode(E2eTraffic.claim(preset, claimId, CLAIM_SOURCE, Instant.now()));
    sentAtMillis.put(claimId, System.currentTimeMillis());
    sentAt.put(claimId, System.nanoTime());
    claims.send(new ProducerRecord<>(Topics.CLAIMS.name(), preset.presetId(), value));
  }

  /**
   * Template {@code t} of the rollover in version {@code version}: the previous version's presets
   * drain and new presets replace them.
   */
  private void rolloverTemplate(KafkaProducer<String, byte[]> events, int t, int version) {
    var template = E2eTraffic.template(t, version, BenchPresets.PRESETS_PER_TEMPLATE);
    events.send(
        new ProducerRecord<>(
            Topics.TEMPLATES.name(), template.data().templateId(), codec.encode(template)));
  }

  /** The provisioner: answers creates, deletes and claims as a worker would, at once. */
  private void provision(
      KafkaConsumer<String, byte[]> commands, KafkaProducer<String, byte[]> events) {
    while (!stopped.get()) {
      for (ConsumerRecord<String, byte[]> record : commands.poll(Duration.ofMillis(50))) {
        Decoded<Command> decoded = codec.decode(Topics.COMMANDS, record.value());
        if (decoded instanceof Decoded.Accepted<Command> accepted) {
          answer(accepted.envelope().data(), events);
        }
      }
    }
  }

  private void answer(Command command, KafkaProducer<String, byte[]> events) {
    Instant now = Instant.now();
    if (command instanceof CreatePrebuild create) {
      var workspace =
          new E2eTraffic.Workspace(
              create.presetId(),
              create.templateId(),
              create.templateVersionId(),
              create.organizationId(),
              create.workspaceId(),
              create.commandId());
      send(
          events,
          Topics.BUILDS.name(),
          create.presetId(),
          E2eTraffic.build(
              workspace, 1, Optional.of(create.commandId()), Transition.START, false, now));
      send(events, Topics.BUILDS.name(), create.presetId(), E2eTraffic.ready(workspace, 1, now));
      live.put(create.workspaceId(), new Live(workspace, new AtomicInteger(1)));
      answers.incrementAndGet();
    } else if (command instanceof DeletePrebuild delete) {
      Live prebuild = live.remove(delete.workspaceId());
      if (prebuild != null) {
        send(
            events,
            Topics.BUILDS.name(),
            delete.presetId(),
            E2eTraffic.build(
                prebuild.workspace(),
                prebuild.buildNumber().incrementAndGet(),
                Optional.of(delete.commandId()),
                Transition.DELETE,
                false,
                now));
        answers.incrementAndGet();
      }
    } else if (command instanceof ClaimWorkspace claim) {
      Live prebuild = live.remove(claim.workspaceId());
      if (prebuild != null) {
        send(
            events,
            Topics.BUILDS.name(),
            claim.presetId(),
            E2eTraffic.build(
                prebuild.workspace(),
                prebuild.buildNumber().incrementAndGet(),
                Optional.of(claim.commandId()),
                Optional.of(claim.claimId()),
                Transition.START,
                false,
                now));
        answers.incrementAndGet();
      }
    }
  }

  /** Matches claim results to claims; a claimed prebuild leaves the background traffic at once. */
  private void readResults(KafkaConsumer<String, byte[]> results) {
    while (!stopped.get()) {
      var records = results.poll(Duration.ofMillis(50));
      long receivedAt = System.nanoTime();
      for (ConsumerRecord<String, byte[]> record : records) {
        Long sent = sentAt.get(record.key());
        Decoded<ClaimResult> decoded = codec.decode(Topics.CLAIM_RESULTS, record.value());
        if (!(decoded instanceof Decoded.Accepted<ClaimResult> accepted)) {
          continue;
        }
        ClaimResult result = accepted.envelope().data();
        if (result instanceof Claimed claimed) {
          live.remove(claimed.workspaceId());
        }
        Long sentMillis = sentAtMillis.get(record.key());
        if (sentMillis != null) {
          answeredAfterMillis.putIfAbsent(record.key(), record.timestamp() - sentMillis);
        }
        if (sent != null && latencies.putIfAbsent(record.key(), receivedAt - sent) == null) {
          outcomes
              .computeIfAbsent(result.outcome().wire(), k -> new AtomicInteger())
              .incrementAndGet();
        }
      }
    }
  }

  private void awaitAnswered(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (latencies.size() < sentAt.size() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private void send(KafkaProducer<String, byte[]> producer, String topic, String key, Event data) {
    Instant now = Instant.now();
    byte[] value =
        codec.encode(
            Envelope.of(E2eTraffic.PROVISIONER_SOURCE, UUID.randomUUID().toString(), now, data));
    producer.send(new ProducerRecord<>(topic, key, value));
  }

  private KafkaProducer<String, byte[]> producer(int lingerMs) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * A read_committed consumer without a group (partitions assigned by the harness), fetching with a
   * short broker-side wait so that the measured latency is the topology's, not the consumer's.
   */
  private KafkaConsumer<String, byte[]> consumer(String clientId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static void assignAll(KafkaConsumer<String, byte[]> consumer, String topic) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(topic)) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  private static void check(long deadline, String message) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(message);
    }
  }
}
