package io.prebuilds.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.prebuilds.metrics.MetricCatalogue;

/** The Grafana dashboard: parses, queries only exported metrics, and reads like Coder's. */
class GrafanaDashboardTest {

  private static final Path DASHBOARD = DeployFiles.path("deploy/grafana/prebuilds-dashboard.json");

  /** Grafana's variables, replaced by values a Prometheus parser accepts. */
  private static final Map<String, String> VARIABLES =
      Map.of(
          "$__rate_interval", "5m",
          "$organization", ".*",
          "$template", ".*",
          "$preset", ".*");

  private record Query(String panel, String expr) {}

  private static JsonNode dashboard() {
    return DeployFiles.readJson(DASHBOARD);
  }

  private static List<Query> panelQueries() {
    List<Query> queries = new ArrayList<>();
    for (JsonNode panel : dashboard().path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(new Query(panel.path("title").asText(), target.path("expr").asText()));
      }
    }
    return queries;
  }

  private static List<Query> variableQueries() {
    List<Query> queries = new ArrayList<>();
    for (JsonNode variable : dashboard().path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        queries.add(
            new Query(
                "variable " + variable.path("name").asText(),
                variable.path("query").path("query").asText()));
      }
    }
    return queries;
  }

  @Test
  void everyQueriedMetricIsInTheCatalogue() {
    List<Query> all = new ArrayList<>(panelQueries());
    all.addAll(variableQueries());
    assertThat(all).isNotEmpty();
    for (Query query : all) {
      assertThat(query.expr()).as("query of %s", query.panel()).isNotBlank();
      assertThat(MetricReferences.unknown(query.expr(), Set.of()))
          .as("metrics of panel %s missing from MetricCatalogue", query.panel())
          .isEmpty();
    }
  }

  @Test
  void perPresetQueriesAggregateLikeCoderObservability() {
    for (Query query : panelQueries()) {
      boolean readsPresetSeries =
          PromQl.metricNames(query.expr()).stream()
              .flatMap(n -> MetricCatalogue.bySeriesName(n).stream())
              .anyMatch(m -> m.labels().equals(MetricCatalogue.PRESET_LABELS));
      boolean singleStat = query.expr().startsWith("count(");
      if (readsPresetSeries && !singleStat) {
        assertThat(query.expr())
            .as("panel %s", query.panel())
            .containsAnyOf("max by (template_name, preset_name)", "sum by (le)", "sum by (");
      }
    }
    assertThat(panelQueries())
        .filteredOn(q -> q.expr().contains("coderd_prebuilt_workspaces_desired"))
        .allMatch(q -> q.expr().contains("max by (template_name, preset_name)"));
  }

  @Test
  void countersAndStatsShowZeroRatherThanNoData() {
    for (Query query : panelQueries()) {
      boolean countsEvents =
          query.expr().startsWith("count(")
              || (query.expr().contains("increase(") && !query.expr().contains("_bucket"));
      if (countsEvents) {
        assertThat(query.expr()).as("panel %s", query.panel()).endsWith("or vector(0)");
      }
    }
  }

  @Test
  void showsWhatTheIssueAsksFor() {
    Set<String> queried = new TreeSet<>();
    panelQueries().forEach(q -> queried.addAll(PromQl.metricNames(q.expr())));
    assertThat(queried)
        .contains(
            "coderd_prebuilt_workspaces_desired",
            "coderd_prebuilt_workspaces_running",
            "coderd_prebuilt_workspaces_eligible",
            "coderd_prebuilt_workspaces_created_total",
            "coderd_prebuilt_workspaces_failed_total",
            "coderd_prebuilt_workspaces_claimed_total",
            "coderd_prebuilt_workspaces_resource_replacements_total",
            "prebuilds_claim_latency_seconds_bucket",
            "coderd_prebuilt_workspaces_preset_hard_limited",
            "prebuilds_preset_quarantined",
            "prebuilds_dlq_records_total",
            "kafka_stream_thread_process_rate",
            "kafka_stream_thread_process_ratio",
            "kafka_stream_thread_blocked_time_ns_total",
            "kafka_consumer_fetch_manager_records_lag_max",
            "kafka_stream_thread_commit_latency_avg");
    assertThat(panelQueries())
        .anySatisfy(q -> assertThat(q.expr()).startsWith("histogram_quantile(0.5,"))
        .anySatisfy(q -> assertThat(q.expr()).startsWith("histogram_quantile(0.95,"));
  }

  @Test
  void panelsHaveUniqueIdsFitTheGridAndUseTheDatasourceVariable() {
    JsonNode dashboard = dashboard();
    assertThat(dashboard.path("uid").asText()).isEqualTo("prebuilds-streams");
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("duplicate panel id").isTrue();
      JsonNode grid = panel.path("gridPos");
      assertThat(grid.path("x").asInt() + grid.path("w").asInt())
          .as("width of %s", panel.path("title").asText())
          .isBetween(1, 24);
      if (!panel.path("type").asText().equals("row")) {
        assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
        assertThat(panel.path("description").asText()).isNotBlank();
      }
    }
  }

  @Test
  void promtoolParsesEveryQuery(@TempDir Path dir) {
    ObjectNode group = JsonNodeFactory.instance.objectNode().put("name", "dashboard-queries");
    int i = 0;
    for (Query query : panelQueries()) {
      String expr = query.expr();
      for (Map.Entry<String, String> variable : VARIABLES.entrySet()) {
        expr = expr.replace(variable.getKey(), variable.getValue());
      }
      group
          .withArray("rules")
          .addObject()
          .put("record", "dashboard:query_" + i++)
          .put("expr", expr);
    }
    ObjectNode file = JsonNodeFactory.instance.objectNode();
    file.withArray("groups").add(group);
    Path rules = dir.resolve("dashboard-queries.yaml");
    try {
      Files.writeString(rules, new YAMLMapper().writeValueAsString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Promtool.Result result = Promtool.run(dir, "check", "rules", rules.getFileName().toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
  }
}
