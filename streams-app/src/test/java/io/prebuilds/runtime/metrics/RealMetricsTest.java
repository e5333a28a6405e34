package io.prebuilds.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.prebuilds.metrics.MetricCatalogue;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.InventorySnapshot;
import io.prebuilds.schemas.event.PlanDriftDetected;
import io.prebuilds.schemas.event.Replacement;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.schemas.event.WorkspaceState;
import io.prebuilds.testing.KafkaBroker;
import io.prebuilds.testing.PrebuildsApp;

/**
 * The real-metrics test: the whole service on a real broker runs a scripted scenario (a pool fills,
 * a claim, a preset failing into its hard limit, plan drift, a poison record, a stale and a parked
 * event, inventory drift, an unanswered command, a pause), then one scrape of {@code /metrics} must
 * show every metric of {@link MetricCatalogue} (what the alert rules and the dashboard read) under
 * its exact exposition name, with the value the scenario implies.
 */
class RealMetricsTest {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String BUILDS = Topics.BUILDS.name();

  @Test
  void everyCatalogueMetricIsExportedWithTheValueTheScenarioImplies() throws Exception {
    try (var app = PrebuildsApp.start(kafka, Set.of("p-fail"), Set.of("p-silent"))) {
      app.publishTemplate(Map.of("p-ok", 2, "p-fail", 1, "p-silent", 1));
      var ok = preset("p-ok");
      var fail = preset("p-fail");
      var silent = preset("p-silent");

      // The pool fills; the failing preset reaches its hard limit (2 failed creates).
      awaitValue(app, "coderd_prebuilt_workspaces_eligible", ok, 2);
      awaitValue(app, "coderd_prebuilt_workspaces_preset_hard_limited", fail, 1);

      // A stale build (same build number again), a build someone else started of a workspace the
      // pool does not hold, a poison record, an event for a preset that never appears (parked,
      // expires after 2 s).
      var first = app.unclaimedWorkspaces("p-ok").get(0);
      app.send(Topics.BUILDS, "p-ok", startSucceeded("p-ok", first, 1));
      app.send(Topics.BUILDS, "p-ok", startSucceeded("p-ok", "ws-someone-elses", 3));
      app.sendRaw(Topics.BUILDS, "p-ok", "not an event".getBytes(StandardCharsets.UTF_8));
      app.send(Topics.BUILDS, "p-ghost", startSucceeded("p-ghost", "ws-ghost", 1));

      // A claim (then backfill), a claim for an unknown preset.
      app.claim("claim-1", "p-ok");
      awaitValue(app, "coderd_prebuilt_workspaces_claimed_total", ok, 1);
      awaitValue(app, "coderd_prebuilt_workspaces_created_total", ok, 3);
      awaitValue(app, "coderd_prebuilt_workspaces_eligible", ok, 2);
      app.claim("claim-2", "p-nowhere");

      // Plan drift of a claim build; coder_* resources do not count.
      app.send(
          Topics.PLAN_DRIFT,
          "p-ok",
          new PlanDriftDetected(
              "p-ok",
              "ws-drifted",
              "ws-drifted-2",
              2,
              Optional.of("claim-1"),
              List.of(
                  new Replacement("docker_container.workspace[0]", List.of("env")),
                  new Replacement("coder_agent.main", List.of("token"))),
              Instant.now()));

      // The provider's inventory lacks one of the pool's prebuilds: forgotten, then replaced.
      var pool = app.unclaimedWorkspaces("p-ok");
      assertThat(pool).hasSize(2);
      var kept = pool.get(pool.size() - 1);
      app.send(
          Topics.INVENTORY,
          "p-ok",
          new InventorySnapshot(
              "p-ok",
              "test-provider",
              Instant.now(),
              List.of(
                  new InventorySnapshot.Workspace(
                      kept, 1, "v1", WorkspaceState.RUNNING, true, true))));

      awaitValue(app, "coderd_prebuilt_workspaces_created_total", ok, 4);
      awaitValue(app, "coderd_prebuilt_workspaces_resource_replacements_total", ok, 1);
      awaitValue(app, "prebuilds_parked_events_expired_total", Map.of("topic", BUILDS), 1);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(
                          scrape(app)
                              .value("prebuilds_command_timeouts_total", commandKind(silent)))
                      .isGreaterThanOrEqualTo(1));

      assertThat(app.post("api/v1/reconciliation/pause", PrebuildsApp.ADMIN_TOKEN).statusCode())
          .isEqualTo(202);
      awaitValue(app, "coderd_prebuilt_workspaces_reconciliation_paused", Map.of(), 1);
      awaitValue(
          app,
          "prebuilds_commands_consumer_group_lag",
          Map.of("consumer_group", PrebuildsApp.WORKER_GROUP),
          0);
      awaitValue(app, "coderd_prebuilt_workspaces_eligible", ok, 2);

      var scrape = scrape(app);

      // Every family the rules and the dashboard read is there, under its exact name.
      for (var metric : MetricCatalogue.all()) {
        assertThat(scrape.typeOf(metric.name()))
            .as("# TYPE of %s", metric.name())
            .isEqualTo(expectedType(metric));
      }
      var flagsAbsentHere =
          Set.of(MetricCatalogue.PRESET_VALIDATION_FAILED, MetricCatalogue.PRESET_QUARANTINED);
      for (var metric : MetricCatalogue.all()) {
        if (!flagsAbsentHere.contains(metric)) {
          for (var series : metric.seriesNames()) {
            assertThat(scrape.samples(series)).as("samples of %s", series).isNotEmpty();
          }
        } else {
          assertThat(scrape.samples(metric.name())).as("samples of %s", metric.name()).isEmpty();
        }
      }

      // Coder's series.
      assertThat(scrape.value("coderd_prebuilt_workspaces_created_total", ok)).isEqualTo(4);
      assertThat(scrape.value("coderd_prebuilt_workspaces_failed_total", ok)).isZero();
      assertThat(scrape.value("coderd_prebuilt_workspaces_claimed_total", ok)).isEqualTo(1);
      assertThat(scrape.value("coderd_prebuilt_workspaces_resource_replacements_total", ok))
          .isEqualTo(1);
      assertThat(scrape.value("coderd_prebuilt_workspaces_desired", ok)).isEqualTo(2);
      assertThat(scrape.value("coderd_prebuilt_workspaces_running", ok)).isEqualTo(2);
      assertThat(scrape.value("coderd_prebuilt_workspaces_eligible", ok)).isEqualTo(2);
      assertThat(scrape.value("coderd_prebuilt_workspaces_created_total", fail)).isEqualTo(2);
      assertThat(scrape.value("coderd_prebuilt_workspaces_failed_total", fail)).isEqualTo(2);
      assertThat(scrape.value("coderd_prebuilt_workspaces_desired", fail)).isEqualTo(1);
      assertThat(scrape.value("coderd_prebuilt_workspaces_running", fail)).isZero();
      assertThat(scrape.value("coderd_prebuilt_workspaces_eligible", fail)).isZero();
      assertThat(scrape.value("coderd_prebuilt_workspaces_preset_hard_limited", fail)).isEqualTo(1);
      assertThat(scrape.samples("coderd_prebuilt_workspaces_preset_hard_limited")).hasSize(1);
      assertThat(scrape.value("coderd_prebuilt_workspaces_created_total", silent)).isZero();
      assertThat(scrape.value("coderd_prebuilt_workspaces_reconciliation_paused", Map.of()))
          .isEqualTo(1);
      assertThat(scrape.value("coderd_prebuilt_workspaces_metrics_last_updated", Map.of()))
          .isGreaterThan(Instant.now().minusSeconds(120).getEpochSecond());

      // Ours.
      assertThat(
              scrape.value("prebuilds_claim_latency_seconds_count", with(ok, "outcome", "claimed")))
          .isEqualTo(1);
      assertThat(
              scrape.value(
                  "prebuilds_claim_latency_seconds_count",
                  Map.of(
                      "organization_name", "",
                      "template_name", "",
                      "preset_name", "",
                      "outcome", "no-prebuild-available")))
          .isEqualTo(1);
      assertThat(
              scrape.value(
                  "prebuilds_claim_latency_seconds_bucket",
                  with(with(ok, "outcome", "claimed"), "le", "+Inf")))
          .isEqualTo(1);
      assertThat(
              scrape.value("prebuilds_decision_latency_seconds_count", Map.of("trigger", "event")))
          .isPositive();
      assertThat(
              scrape.value(
                  "prebuilds_dlq_records_total", Map.of("reason", "NOT_JSON", "topic", BUILDS)))
          .isEqualTo(1);
      assertThat(scrape.value("prebuilds_stale_events_dropped_total", Map.of("topic", BUILDS)))
          .isEqualTo(1);
      assertThat(scrape.value("prebuilds_unknown_workspace_events_total", Map.of("topic", BUILDS)))
          .isEqualTo(1);
      assertThat(scrape.value("prebuilds_parked_events_expired_total", Map.of("topic", BUILDS)))
          .isEqualTo(1);
      assertThat(scrape.value("prebuilds_inventory_drift_total", with(ok, "kind", "forgotten")))
          .isEqualTo(1);
      assertThat(
              scrape.value(
                  "prebuilds_notifications_sent_total", Map.of("kind", "failure-limit-reached")))
          .isEqualTo(1);
      assertThat(
              scrape.value(
                  "prebuilds_notifications_sent_total", Map.of("kind", "resource-replacements")))
          .isEqualTo(1);
      assertThat(scrape.value("prebuilds_command_timeouts_total", commandKind(silent)))
          .isGreaterThanOrEqualTo(1);
      assertThat(scrape.samples("prebuilds_command_timeouts_total"))
          .allSatisfy(s -> assertThat(s.labels()).containsAllEntriesOf(silent));
      assertThat(scrape.value("prebuilds_stream_thread_replacements_total", Map.of())).isZero();
      assertThat(scrape.value("prebuilds_state_store_entries", Map.of("store", "preset-state")))
          .isPositive();
      assertThat(
              scrape.value(
                  "prebuilds_commands_consumer_group_lag",
                  Map.of("consumer_group", PrebuildsApp.WORKER_GROUP)))
          .isZero();
      assertThat(scrape.samples("kafka_stream_alive_stream_threads"))
          .anySatisfy(s -> assertThat(s.value()).isEqualTo(1));
    }
  }

  private static String expectedType(MetricCatalogue.Metric metric) {
    return switch (metric.type()) {
      case COUNTER -> "counter";
      case GAUGE -> "gauge";
      case HISTOGRAM -> "histogram";
    };
  }

  private static Map<String, String> preset(String presetId) {
    return Map.of(
        "organization_name",
        "acme",
        "template_name",
        "python-dev",
        "preset_name",
        presetId + "-name");
  }

  private static Map<String, String> commandKind(Map<String, String> preset) {
    return with(preset, "command_kind", "create");
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    var all = new java.util.HashMap<>(labels);
    all.put(name, value);
    return all;
  }

  private static BuildCompleted startSucceeded(String presetId, String workspaceId, int number) {
    return new BuildCompleted(
        presetId,
        workspaceId,
        workspaceId + "-" + number,
        number,
        Optional.empty(),
        Optional.empty(),
        PrebuildsApp.TEMPLATE,
        "v1",
        PrebuildsApp.ORG,
        Transition.START,
        BuildStatus.SUCCEEDED,
        Optional.empty(),
        "system",
        Instant.now());
  }

  private static void awaitValue(
      PrebuildsApp app, String series, Map<String, String> labels, double expected) {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(scrape(app).value(series, labels)).isEqualTo(expected));
  }

  private static Scrape scrape(PrebuildsApp app) throws Exception {
    var response = app.get("metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return Scrape.parse(response.body());
  }

  /** A Prometheus text exposition, parsed just enough for the assertions. */
  record Scrape(Map<String, String> types, List<Sample> all) {
    record Sample(String name, Map<String, String> labels, double value) {}

    static Scrape parse(String text) {
      var types = new java.util.HashMap<String, String>();
      var samples = new ArrayList<Sample>();
      for (var line : text.split("\n")) {
        if (line.startsWith("# TYPE ")) {
          var parts = line.split(" ");
          types.put(parts[2], parts[3]);
        } else if (!line.isBlank() && !line.startsWith("#")) {
          samples.add(sample(line));
        }
      }
      return new Scrape(types, samples);
    }

    private static Sample sample(String line) {
      var brace = line.indexOf('{');
      var space = line.lastIndexOf(' ');
      var labels = new java.util.HashMap<String, String>();
      String name;
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        var body = line.substring(brace + 1, line.lastIndexOf('}'));
        var matcher =
            java.util.regex.Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
        while (matcher.find()) {
          labels.put(matcher.group(1), matcher.group(2));
        }
      } else {
        name = line.substring(0, space);
      }
      var value = line.substring(space + 1);
      return new Sample(name, labels, value.equals("NaN") ? Double.NaN : Double.parseDouble(value));
    }

    String typeOf(String family) {
      return types.get(family);
    }

    List<Sample> samples(String name) {
      return all.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the sample with exactly these labels (extra labels such as kafka's allowed). */
    double value(String name, Map<String, String> labels) {
      var matching =
          samples(name).stream()
              .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
              .filter(s -> s.labels().keySet().equals(labels.keySet()))
              .toList();
      if (matching.size() != 1) {
        throw new AssertionError(
            "expected one sample "
                + name
                + labels
                + ", found "
                + matching
                + " in "
                + samples(name));
      }
      return matching.get(0).value();
    }
  }
}
