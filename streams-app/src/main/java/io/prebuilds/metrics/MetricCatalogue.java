package io.prebuilds.metrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every Prometheus metric the service exports, named exactly as a Prometheus scrape shows it.
 *
 * <p>One place for the names, so the code that registers meters, the alert and recording rules in
 * {@code deploy/prometheus}, the Grafana dashboard in {@code deploy/grafana} and the tests that
 * scrape a running app cannot drift apart: tests fail when a rule or panel queries a metric that is
 * not listed here, and when a listed metric is missing from a real scrape.
 *
 * <p>Three families:
 *
 * <ul>
 *   <li>{@link Origin#CODER_COMPATIBLE}: the series of Coder's prebuilds metrics collector, same
 *       names, types and labels, so Coder's dashboards and alerts keep working. Unlike Coder's, the
 *       counters never go down: they live in the preset state, not in a database query.
 *   <li>{@link Origin#PREBUILDS}: what only a stream processor has (DLQ, stale events, parked
 *       events, quarantine, store sizes, decision latency).
 *   <li>{@link Origin#KAFKA_CLIENT}: the Kafka Streams and consumer metrics we rely on, as
 *       Micrometer's {@code KafkaStreamsMetrics} binder names them: {@code kafka.} + metric group
 *       without {@code -metrics} + metric name, dashes as dots, then Prometheus' underscores (group
 *       {@code stream-thread-metrics}, name {@code commit-latency-avg} becomes {@code
 *       kafka_stream_thread_commit_latency_avg}). Each carries Kafka's tags ({@code client_id} or
 *       {@code thread_id}) plus {@code kafka_version}. Verified against a scrape of a Kafka Streams
 *       4.3.1 app with Micrometer 1.16.
 * </ul>
 *
 * <p>Exposition names: counters end in {@code _total}; a histogram is listed by its base name and
 * is scraped as {@code _bucket}, {@code _sum} and {@code _count} series (plus Micrometer's {@code
 * _max} gauge), with buckets, so {@code histogram_quantile} works. Note that Prometheus' Java
 * client 1.x rejects a counter whose name ends in {@code _created} before {@code _total} (it
 * reserves the OpenMetrics {@code _created} suffix), so {@link #CREATED_TOTAL} must be written by
 * an exposition of our own rather than a Micrometer counter, or Micrometer silently renames it to
 * {@code coderd_prebuilt_workspaces_total}.
 */
public final class MetricCatalogue {

  /** The Prometheus metric type, which decides the series a scrape shows. */
  public enum Type {
    COUNTER,
    GAUGE,
    HISTOGRAM
  }

  /** Who produces the metric; see the class comment. */
  public enum Origin {
    CODER_COMPATIBLE,
    PREBUILDS,
    KAFKA_CLIENT
  }

  /**
   * One metric family.
   *
   * @param name the exposition name as Prometheus shows it ({@code _total} included for counters,
   *     the base name for histograms)
   * @param labels the label names the app attaches, in a stable order
   * @param help the {@code # HELP} text: what one unit means and when it moves
   */
  public record Metric(String name, Type type, Origin origin, List<String> labels, String help) {

    public Metric {
      labels = List.copyOf(labels);
    }

    /** Every sample name a scrape shows for this family. */
    public List<String> seriesNames() {
      return switch (type) {
        case COUNTER, GAUGE -> List.of(name);
        case HISTOGRAM -> List.of(name + "_bucket", name + "_sum", name + "_count", name + "_max");
      };
    }
  }

  /** The labels Coder puts on every per-preset series. */
  public static final List<String> PRESET_LABELS =
      List.of("organization_name", "template_name", "preset_name");

  private static final List<String> STREAM_THREAD_LABELS = List.of("thread_id", "kafka_version");
  private static final List<String> CLIENT_LABELS = List.of("client_id", "kafka_version");

  // Coder-compatible series (coder/coder enterprise/coderd/prebuilds/metricscollector.go).

  public static final Metric CREATED_TOTAL =
      coder(
          "coderd_prebuilt_workspaces_created_total",
          Type.COUNTER,
          PRESET_LABELS,
          "Prebuilt workspaces created for the preset (first builds started for a create command).");
  public static final Metric FAILED_TOTAL =
      coder(
          "coderd_prebuilt_workspaces_failed_total",
          Type.COUNTER,
          PRESET_LABELS,
          "Prebuilt workspaces whose first build failed.");
  public static final Metric CLAIMED_TOTAL =
      coder(
          "coderd_prebuilt_workspaces_claimed_total",
          Type.COUNTER,
          PRESET_LABELS,
          "Prebuilt workspaces handed to a user by a claim.");
  public static final Metric RESOURCE_REPLACEMENTS_TOTAL =
      coder(
          "coderd_prebuilt_workspaces_resource_replacements_total",
          Type.COUNTER,
          PRESET_LABELS,
          "Claim builds whose Terraform plan replaced at least one resource (one per claim build,"
              + " not per resource).");
  public static final Metric DESIRED =
      coder(
          "coderd_prebuilt_workspaces_desired",
          Type.GAUGE,
          PRESET_LABELS,
          "Prebuilt workspaces the preset should have now (schedule-aware; 0 when inactive).");
  public static final Metric RUNNING =
      coder(
          "coderd_prebuilt_workspaces_running",
          Type.GAUGE,
          PRESET_LABELS,
          "Prebuilt workspaces whose latest build is a successful start, expired ones included.");
  public static final Metric ELIGIBLE =
      coder(
          "coderd_prebuilt_workspaces_eligible",
          Type.GAUGE,
          PRESET_LABELS,
          "Running prebuilt workspaces that can be claimed: not expired and all agents ready.");
  public static final Metric PRESET_HARD_LIMITED =
      coder(
          "coderd_prebuilt_workspaces_preset_hard_limited",
          Type.GAUGE,
          PRESET_LABELS,
          "1 while the preset is hard-limited (its last builds all failed; creates stopped);"
              + " absent otherwise.");
  public static final Metric PRESET_VALIDATION_FAILED =
      coder(
          "coderd_prebuilt_workspaces_preset_validation_failed",
          Type.GAUGE,
          PRESET_LABELS,
          "1 while the preset's builds fail validation before any workspace is made; absent"
              + " otherwise.");
  public static final Metric RECONCILIATION_PAUSED =
      coder(
          "coderd_prebuilt_workspaces_reconciliation_paused",
          Type.GAUGE,
          List.of(),
          "1 while reconciliation is paused by the global setting (no creates or deletes), else 0.");
  public static final Metric METRICS_LAST_UPDATED =
      coder(
          "coderd_prebuilt_workspaces_metrics_last_updated",
          Type.GAUGE,
          List.of(),
          "Unix time in seconds of the committed state the preset series were read from.");

  // Our own series.

  public static final Metric CLAIM_LATENCY =
      ours(
          "prebuilds_claim_latency_seconds",
          Type.HISTOGRAM,
          List.of("organization_name", "template_name", "preset_name", "outcome"),
          "Seconds from a claim request to its result (outcome claimed, no-prebuild-available or"
              + " claim-failed).");
  public static final Metric DECISION_LATENCY =
      ours(
          "prebuilds_decision_latency_seconds",
          Type.HISTOGRAM,
          List.of("trigger"),
          "Seconds to load a preset's state, decide and forward the result, per event or due time"
              + " (trigger event or timer).");
  public static final Metric DLQ_RECORDS_TOTAL =
      ours(
          "prebuilds_dlq_records_total",
          Type.COUNTER,
          List.of("reason", "topic"),
          "Records sent to the dead-letter topic, by reason and the topic they were read from.");
  public static final Metric STALE_EVENTS_DROPPED_TOTAL =
      ours(
          "prebuilds_stale_events_dropped_total",
          Type.COUNTER,
          List.of("topic"),
          "Events dropped because a newer build of the same workspace, or a later agent report"
              + " of the same build, was already applied.");
  public static final Metric UNKNOWN_WORKSPACE_EVENTS_TOTAL =
      ours(
          "prebuilds_unknown_workspace_events_total",
          Type.COUNTER,
          List.of("topic"),
          "Build and agent events ignored because the pool does not hold their workspace and may"
              + " not adopt it: a claimed workspace that left the pool, a build not started by the"
              + " prebuilds system user, a report about a workspace already gone.");
  public static final Metric COMMAND_TIMEOUTS_TOTAL =
      ours(
          "prebuilds_command_timeouts_total",
          Type.COUNTER,
          List.of("organization_name", "template_name", "preset_name", "command_kind"),
          "Commands not answered within the command timeout (counted, not treated as failed"
              + " builds).");
  public static final Metric PRESET_QUARANTINED =
      ours(
          "prebuilds_preset_quarantined",
          Type.GAUGE,
          PRESET_LABELS,
          "1 while the preset is quarantined because deciding for it threw; absent otherwise.");
  public static final Metric STREAM_THREAD_REPLACEMENTS_TOTAL =
      ours(
          "prebuilds_stream_thread_replacements_total",
          Type.COUNTER,
          List.of(),
          "Stream threads replaced after an uncaught exception (the client shuts down once the"
              + " failure limit is reached).");
  public static final Metric STATE_STORE_ENTRIES =
      ours(
          "prebuilds_state_store_entries",
          Type.GAUGE,
          List.of("store"),
          "Approximate entries in each local state store, over the active tasks of this"
              + " instance.");
  public static final Metric INVENTORY_DRIFT_TOTAL =
      ours(
          "prebuilds_inventory_drift_total",
          Type.COUNTER,
          List.of("organization_name", "template_name", "preset_name", "kind"),
          "Differences found between a provider's inventory snapshot and the preset state, by"
              + " kind.");
  public static final Metric PARKED_EVENTS_EXPIRED_TOTAL =
      ours(
          "prebuilds_parked_events_expired_total",
          Type.COUNTER,
          List.of("topic"),
          "Events parked for a preset not yet defined that expired before the preset appeared.");
  public static final Metric NOTIFICATIONS_SENT_TOTAL =
      ours(
          "prebuilds_notifications_sent_total",
          Type.COUNTER,
          List.of("kind"),
          "Notifications written to the notifications topic, by kind (failure-limit-reached,"
              + " resource-replacements).");
  public static final Metric DUPLICATE_EVENTS_DROPPED_TOTAL =
      ours(
          "prebuilds_duplicate_events_dropped_total",
          Type.COUNTER,
          List.of("topic"),
          "Events dropped because an event with the same source and id was already processed"
              + " (a producer's retry or replay).");
  public static final Metric DEFINITIONS_DEFERRED_TOTAL =
      ours(
          "prebuilds_definitions_deferred_total",
          Type.COUNTER,
          List.of(),
          "Changed preset definitions left to a tick because the instance had used its budget of"
              + " paced decisions (prebuilds.due-index.decisions-per-second).");
  public static final Metric DUE_LAG =
      ours(
          "prebuilds_due_lag_seconds",
          Type.GAUGE,
          List.of(),
          "Seconds the longest-waiting due decision of this instance is overdue (timers and"
              + " deferred definitions); about 0 when ticks keep up, growing while pacing, a rebuild"
              + " or a busy stream thread holds decisions back.");
  public static final Metric COMMANDS_CONSUMER_GROUP_LAG =
      ours(
          "prebuilds_commands_consumer_group_lag",
          Type.GAUGE,
          List.of("consumer_group"),
          "Command records the workers' consumer group has not committed yet, summed over the"
              + " partitions of the commands topic.");

  // Kafka Streams and consumer metrics, through Micrometer's KafkaStreamsMetrics binder.

  public static final Metric STREAM_THREAD_PROCESS_RATE =
      kafka(
          "kafka_stream_thread_process_rate",
          Type.GAUGE,
          STREAM_THREAD_LABELS,
          "Records processed per second by the stream thread.");
  public static final Metric STREAM_THREAD_COMMIT_LATENCY_AVG =
      kafka(
          "kafka_stream_thread_commit_latency_avg",
          Type.GAUGE,
          STREAM_THREAD_LABELS,
          "Average milliseconds a commit (a transaction under exactly-once) took.");
  public static final Metric STREAM_THREAD_COMMIT_LATENCY_MAX =
      kafka(
          "kafka_stream_thread_commit_latency_max",
          Type.GAUGE,
          STREAM_THREAD_LABELS,
          "Longest commit in milliseconds over the metrics window.");
  public static final Metric STREAM_THREAD_PROCESS_RATIO =
      kafka(
          "kafka_stream_thread_process_ratio",
          Type.GAUGE,
          STREAM_THREAD_LABELS,
          "Share of the stream thread's time spent processing records of its active tasks over"
              + " the metrics window; claims wait longer as it nears 1.");
  public static final Metric STREAM_THREAD_BLOCKED_TIME =
      kafka(
          "kafka_stream_thread_blocked_time_ns_total",
          Type.COUNTER,
          STREAM_THREAD_LABELS,
          "Nanoseconds the stream thread has waited on Kafka since it started: the producer's flush"
              + " and the transaction round trips at commits, and polls that found nothing.");
  public static final Metric ALIVE_STREAM_THREADS =
      kafka(
          "kafka_stream_alive_stream_threads",
          Type.GAUGE,
          CLIENT_LABELS,
          "Stream threads alive in this Kafka Streams client.");
  public static final Metric FAILED_STREAM_THREADS_TOTAL =
      kafka(
          "kafka_stream_failed_stream_threads_total",
          Type.COUNTER,
          CLIENT_LABELS,
          "Stream threads that died with an exception since the client started.");
  public static final Metric CONSUMER_RECORDS_LAG_MAX =
      kafka(
          "kafka_consumer_fetch_manager_records_lag_max",
          Type.GAUGE,
          CLIENT_LABELS,
          "Largest lag in records over the partitions a consumer reads; the main consumer's"
              + " client_id ends in -StreamThread-N-consumer.");

  public static final Metric ADMISSION_QUEUED =
      ours(
          "prebuilds_admission_queued",
          Type.GAUGE,
          List.of("organization_id", "priority"),
          "Prebuild commands waiting in the organization's admission queue, by priority (delete,"
              + " create).");
  public static final Metric ADMISSION_DISPATCHED =
      ours(
          "prebuilds_admission_dispatched",
          Type.GAUGE,
          List.of("organization_id", "priority"),
          "Prebuild commands dispatched and not yet answered or timed out, counted against the"
              + " organization's budget.");
  public static final Metric ADMISSION_QUEUE_AGE =
      ours(
          "prebuilds_admission_queue_age_seconds",
          Type.GAUGE,
          List.of("organization_id", "priority"),
          "Seconds the oldest queued command of the organization and priority has waited; 0 when"
              + " none waits.");
  public static final Metric ADMISSION_WITHDRAWN_TOTAL =
      ours(
          "prebuilds_admission_withdrawn_total",
          Type.COUNTER,
          List.of("reason"),
          "Queued commands dropped unsent because they became obsolete, by reason (cancelled,"
              + " released, paused).");

  private static final List<Metric> ALL =
      List.of(
          CREATED_TOTAL,
          FAILED_TOTAL,
          CLAIMED_TOTAL,
          RESOURCE_REPLACEMENTS_TOTAL,
          DESIRED,
          RUNNING,
          ELIGIBLE,
          PRESET_HARD_LIMITED,
          PRESET_VALIDATION_FAILED,
          RECONCILIATION_PAUSED,
          METRICS_LAST_UPDATED,
          CLAIM_LATENCY,
          DECISION_LATENCY,
          DLQ_RECORDS_TOTAL,
          STALE_EVENTS_DROPPED_TOTAL,
          UNKNOWN_WORKSPACE_EVENTS_TOTAL,
          COMMAND_TIMEOUTS_TOTAL,
          PRESET_QUARANTINED,
          STREAM_THREAD_REPLACEMENTS_TOTAL,
          STATE_STORE_ENTRIES,
          INVENTORY_DRIFT_TOTAL,
          PARKED_EVENTS_EXPIRED_TOTAL,
          NOTIFICATIONS_SENT_TOTAL,
          DUPLICATE_EVENTS_DROPPED_TOTAL,
          DEFINITIONS_DEFERRED_TOTAL,
          DUE_LAG,
          COMMANDS_CONSUMER_GROUP_LAG,
          ADMISSION_QUEUED,
          ADMISSION_DISPATCHED,
          ADMISSION_QUEUE_AGE,
          ADMISSION_WITHDRAWN_TOTAL,
          STREAM_THREAD_PROCESS_RATE,
          STREAM_THREAD_COMMIT_LATENCY_AVG,
          STREAM_THREAD_COMMIT_LATENCY_MAX,
          STREAM_THREAD_PROCESS_RATIO,
          STREAM_THREAD_BLOCKED_TIME,
          ALIVE_STREAM_THREADS,
          FAILED_STREAM_THREADS_TOTAL,
          CONSUMER_RECORDS_LAG_MAX);

  private static final Map<String, Metric> BY_SERIES_NAME =
      ALL.stream()
          .flatMap(m -> m.seriesNames().stream().map(s -> Map.entry(s, m)))
          .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

  private static final Map<String, Metric> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(Metric::name, Function.identity()));

  /** Lower snake case, as Prometheus names read; checked by the catalogue's tests. */
  public static final Pattern NAME_PATTERN = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

  private MetricCatalogue() {}

  /** Every metric, Coder-compatible first, in a stable order. */
  public static List<Metric> all() {
    return ALL;
  }

  /** The metrics of one origin. */
  public static List<Metric> byOrigin(Origin origin) {
    return ALL.stream().filter(m -> m.origin() == origin).toList();
  }

  /** The family with this exposition name (a histogram by its base name). */
  public static Optional<Metric> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /**
   * The family a sample name belongs to: {@code prebuilds_claim_latency_seconds_bucket} resolves to
   * {@link #CLAIM_LATENCY}, a counter or gauge to itself.
   */
  public static Optional<Metric> bySeriesName(String seriesName) {
    return Optional.ofNullable(BY_SERIES_NAME.get(seriesName));
  }

  /** Every sample name of every family; what a complete scrape shows. */
  public static List<String> allSeriesNames() {
    return ALL.stream().flatMap(m -> m.seriesNames().stream()).toList();
  }

  private static Metric coder(String name, Type type, List<String> labels, String help) {
    return new Metric(name, type, Origin.CODER_COMPATIBLE, labels, help);
  }

  private static Metric ours(String name, Type type, List<String> labels, String help) {
    return new Metric(name, type, Origin.PREBUILDS, labels, help);
  }

  private static Metric kafka(String name, Type type, List<String> labels, String help) {
    return new Metric(name, type, Origin.KAFKA_CLIENT, labels, help);
  }
}
