package io.prebuilds.runtime.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import io.prebuilds.metrics.MetricCatalogue;
import io.prebuilds.reconcile.InventoryDiff;
import io.prebuilds.reconcile.PresetDefinition;
import io.prebuilds.topology.PrebuildsTopology;
import io.prebuilds.topology.TopologyMetrics;

/**
 * The topology's {@link TopologyMetrics} on Micrometer, under the names of {@link MetricCatalogue}.
 *
 * <p>Micrometer names use dots; the Prometheus registry turns them into the catalogue's exposition
 * names ({@code prebuilds.dlq.records} becomes {@code prebuilds_dlq_records_total}, a timer {@code
 * prebuilds.claim.latency} becomes the {@code prebuilds_claim_latency_seconds} histogram). Timers
 * publish fixed buckets, so {@code histogram_quantile} works across instances. Meters are created
 * on first use and cached by the registry, so a call costs a map lookup.
 *
 * <p>Besides the catalogue's series it counts emitted and refused commands ({@code
 * prebuilds_commands_emitted_total}, {@code prebuilds_commands_refused_total}): nothing alerts on
 * them, but they explain a pipeline.
 */
public final class PrebuildsMetrics implements TopologyMetrics {

  /**
   * Claim latency buckets: a fresh claim is answered within milliseconds of its processing, but one
   * that waited behind a backlog takes seconds, which the upper buckets keep apart.
   */
  private static final Duration[] CLAIM_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  /** Decision latency buckets: a decision is pure computation over one preset, microseconds. */
  private static final Duration[] DECISION_BUCKETS = {
    Duration.ofNanos(50_000),
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(100)
  };

  /** The reasons {@link #admissionWithdrawn} counts; registered at zero so the series exist. */
  private static final List<String> WITHDRAWAL_REASONS = List.of("cancelled", "released", "paused");

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<List<String>, AdmissionLevel> admission = new ConcurrentHashMap<>();

  /** The earliest due time each task of this instance reported after its last tick. */
  private final Map<String, Instant> earliestDue = new ConcurrentHashMap<>();

  /**
   * Meters already registered, by name and tag values. Registering again would return the same
   * meter, but builds and sorts its id and looks it up on every call: on the stream thread's path
   * (a decision's latency, every emitted command) that was a few percent of an event's CPU.
   */
  private final Map<List<String>, Meter> meters = new ConcurrentHashMap<>();

  public PrebuildsMetrics(MeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  PrebuildsMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    WITHDRAWAL_REASONS.forEach(
        reason -> counter(MetricCatalogue.ADMISSION_WITHDRAWN_TOTAL, "reason", reason));
    PrebuildsTopology.dedupedTopics()
        .forEach(topic -> counter(MetricCatalogue.DUPLICATE_EVENTS_DROPPED_TOTAL, "topic", topic));
    counter(MetricCatalogue.DEFINITIONS_DEFERRED_TOTAL);
    Gauge.builder(micrometerName(MetricCatalogue.DUE_LAG), this, PrebuildsMetrics::dueLagSeconds)
        .description(MetricCatalogue.DUE_LAG.help())
        .register(registry);
  }

  /** The last levels the admission stage reported for one organization and priority. */
  private static final class AdmissionLevel {
    volatile int queued;
    volatile int dispatched;
    volatile Instant oldestQueuedAt;
  }

  @Override
  public void admissionLevels(
      String organizationId, String priority, int queued, int dispatched, Instant oldestQueuedAt) {
    AdmissionLevel level =
        admission.computeIfAbsent(
            List.of(organizationId, priority), key -> registerAdmission(organizationId, priority));
    level.queued = queued;
    level.dispatched = dispatched;
    level.oldestQueuedAt = oldestQueuedAt;
  }

  @Override
  public void admissionWithdrawn(String reason) {
    counter(MetricCatalogue.ADMISSION_WITHDRAWN_TOTAL, "reason", reason).increment();
  }

  private AdmissionLevel registerAdmission(String organizationId, String priority) {
    AdmissionLevel level = new AdmissionLevel();
    Tags tags = Tags.of("organization_id", organizationId, "priority", priority);
    Gauge.builder(micrometerName(MetricCatalogue.ADMISSION_QUEUED), level, l -> l.queued)
        .description(MetricCatalogue.ADMISSION_QUEUED.help())
        .tags(tags)
        .register(registry);
    Gauge.builder(micrometerName(MetricCatalogue.ADMISSION_DISPATCHED), level, l -> l.dispatched)
        .description(MetricCatalogue.ADMISSION_DISPATCHED.help())
        .tags(tags)
        .register(registry);
    Gauge.builder(micrometerName(MetricCatalogue.ADMISSION_QUEUE_AGE), level, this::ageSeconds)
        .description(MetricCatalogue.ADMISSION_QUEUE_AGE.help())
        .tags(tags)
        .register(registry);
    return level;
  }

  private double ageSeconds(AdmissionLevel level) {
    Instant oldest = level.oldestQueuedAt;
    if (oldest == null) {
      return 0;
    }
    return Math.max(Duration.between(oldest, clock.instant()).toMillis() / 1000.0, 0);
  }

  @Override
  public void staleEventDropped(String topic) {
    counter(MetricCatalogue.STALE_EVENTS_DROPPED_TOTAL, "topic", topic).increment();
  }

  @Override
  public void unknownWorkspaceEvent(String topic) {
    counter(MetricCatalogue.UNKNOWN_WORKSPACE_EVENTS_TOTAL, "topic", topic).increment();
  }

  @Override
  public void duplicateEventDropped(String topic) {
    counter(MetricCatalogue.DUPLICATE_EVENTS_DROPPED_TOTAL, "topic", topic).increment();
  }

  @Override
  public void definitionDeferred() {
    counter(MetricCatalogue.DEFINITIONS_DEFERRED_TOTAL).increment();
  }

  @Override
  public void earliestDue(String task, Instant earliestDueAt) {
    if (earliestDueAt == null) {
      earliestDue.remove(task);
    } else {
      earliestDue.put(task, earliestDueAt);
    }
  }

  /**
   * How overdue the earliest due time of any task of this instance is, measured at the scrape: a
   * stream thread that stopped ticking shows a growing lag rather than its last value.
   */
  private double dueLagSeconds() {
    Instant now = clock.instant();
    long overdueMillis = 0;
    for (Instant due : earliestDue.values()) {
      overdueMillis = Math.max(overdueMillis, Duration.between(due, now).toMillis());
    }
    return overdueMillis / 1000.0;
  }

  @Override
  public void parkedEventExpired(String topic) {
    counter(MetricCatalogue.PARKED_EVENTS_EXPIRED_TOTAL, "topic", topic).increment();
  }

  @Override
  public void deadLettered(String topic, String reason) {
    counter(MetricCatalogue.DLQ_RECORDS_TOTAL, "reason", reason, "topic", topic).increment();
  }

  @Override
  public void commandRefused(String kind, String outcome) {
    this.<Counter>meter(
            () ->
                Counter.builder("prebuilds.commands.refused")
                    .description(
                        "Commands a worker reported it could not carry out, by kind and outcome.")
                    .tags("command_kind", kind, "outcome", outcome)
                    .register(registry),
            "prebuilds.commands.refused",
            kind,
            outcome)
        .increment();
  }

  @Override
  public void inventoryDrift(PresetDefinition preset, InventoryDiff diff) {
    driftBy(preset, "adopted", diff.adopted());
    driftBy(preset, "updated", diff.updated());
    driftBy(preset, "forgotten", diff.forgotten());
  }

  @Override
  public void commandEmitted(String kind) {
    this.<Counter>meter(
            () ->
                Counter.builder("prebuilds.commands.emitted")
                    .description("Commands written to the commands topic, by event type.")
                    .tag("type", kind)
                    .register(registry),
            "prebuilds.commands.emitted",
            kind)
        .increment();
  }

  @Override
  public void commandTimedOut(PresetDefinition preset, String kind) {
    counter(
            MetricCatalogue.COMMAND_TIMEOUTS_TOTAL,
            "organization_name",
            preset.organizationName(),
            "template_name",
            preset.templateName(),
            "preset_name",
            preset.presetName(),
            "command_kind",
            kind)
        .increment();
  }

  @Override
  public void claimAnswered(PresetDefinition preset, String outcome, Duration latency) {
    String organization = preset == null ? "" : preset.organizationName();
    String template = preset == null ? "" : preset.templateName();
    String name = preset == null ? "" : preset.presetName();
    this.<Timer>meter(
            () ->
                Timer.builder(micrometerName(MetricCatalogue.CLAIM_LATENCY))
                    .description(MetricCatalogue.CLAIM_LATENCY.help())
                    .tags(
                        "organization_name",
                        organization,
                        "template_name",
                        template,
                        "preset_name",
                        name,
                        "outcome",
                        outcome)
                    .serviceLevelObjectives(CLAIM_BUCKETS)
                    .register(registry),
            MetricCatalogue.CLAIM_LATENCY.name(),
            organization,
            template,
            name,
            outcome)
        .record(latency.isNegative() ? Duration.ZERO : latency);
  }

  @Override
  public void notificationSent(String kind) {
    counter(MetricCatalogue.NOTIFICATIONS_SENT_TOTAL, "kind", kind).increment();
  }

  @Override
  public void decisionNanos(String trigger, long nanos) {
    this.<Timer>meter(
            () ->
                Timer.builder(micrometerName(MetricCatalogue.DECISION_LATENCY))
                    .description(MetricCatalogue.DECISION_LATENCY.help())
                    .tag("trigger", trigger)
                    .serviceLevelObjectives(DECISION_BUCKETS)
                    .register(registry),
            MetricCatalogue.DECISION_LATENCY.name(),
            trigger)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private void driftBy(PresetDefinition preset, String kind, int amount) {
    if (amount > 0) {
      counter(
              MetricCatalogue.INVENTORY_DRIFT_TOTAL,
              "organization_name",
              preset.organizationName(),
              "template_name",
              preset.templateName(),
              "preset_name",
              preset.presetName(),
              "kind",
              kind)
          .increment(amount);
    }
  }

  private Counter counter(MetricCatalogue.Metric metric, String... tags) {
    return meter(
        () ->
            Counter.builder(micrometerName(metric))
                .description(metric.help())
                .tags(tags)
                .register(registry),
        metric.name(),
        tags);
  }

  /** The meter registered under a name and tag values, registering it on first use. */
  @SuppressWarnings("unchecked")
  private <M extends Meter> M meter(Supplier<M> register, String name, String... tagValues) {
    List<String> key = new ArrayList<>(tagValues.length + 1);
    key.add(name);
    key.addAll(Arrays.asList(tagValues));
    Meter meter = meters.get(key);
    return (M) (meter != null ? meter : meters.computeIfAbsent(key, k -> register.get()));
  }

  /**
   * The Micrometer name whose Prometheus rendering is the catalogue's exposition name: without the
   * {@code _total} of counters or the {@code _seconds} unit of timers (the registry adds them
   * back).
   */
  static String micrometerName(MetricCatalogue.Metric metric) {
    var name = metric.name();
    var base =
        switch (metric.type()) {
          case COUNTER -> strip(name, "_total");
          case HISTOGRAM -> strip(name, "_seconds");
          case GAUGE -> name;
        };
    return base.replace('_', '.');
  }

  private static String strip(String name, String suffix) {
    if (!name.endsWith(suffix)) {
      throw new IllegalArgumentException(name + " does not end in " + suffix);
    }
    return name.substring(0, name.length() - suffix.length());
  }
}
