package io.prebuilds.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import io.prebuilds.metrics.MetricCatalogue;

/** The alert rules in deploy/prometheus: well-formed, documented, unit-tested, and scrapeable. */
class PrometheusRulesTest {

  private static final Path PROMETHEUS = DeployFiles.path("deploy/prometheus");
  private static final Path RULES = PROMETHEUS.resolve("rules/prebuilds-alerts.yaml");
  private static final Path RULE_TESTS = PROMETHEUS.resolve("tests/prebuilds-alerts.test.yaml");
  private static final Pattern RUNBOOK_URL =
      Pattern.compile("^https://\\S+/(docs/runbooks/[a-z0-9-]+\\.md)$");
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
  private static final String PER_PRESET = "max by (organization_name, template_name, preset_name)";

  private record Rule(String group, JsonNode node) {
    String name() {
      return node.has("alert") ? node.path("alert").asText() : node.path("record").asText();
    }

    boolean isAlert() {
      return node.has("alert");
    }

    String expr() {
      return node.path("expr").asText();
    }
  }

  private static List<Rule> rules() {
    List<Rule> rules = new ArrayList<>();
    for (JsonNode group : DeployFiles.readYaml(RULES).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        rules.add(new Rule(group.path("name").asText(), rule));
      }
    }
    return rules;
  }

  private static List<Rule> alerts() {
    return rules().stream().filter(Rule::isAlert).toList();
  }

  private static Set<String> recordedNames() {
    Set<String> names = new TreeSet<>();
    rules().stream().filter(r -> !r.isAlert()).forEach(r -> names.add(r.name()));
    return names;
  }

  @Test
  void everyAlertHasASeverityASummaryAndARunbookThatExists() {
    assertThat(alerts()).isNotEmpty();
    for (Rule alert : alerts()) {
      JsonNode node = alert.node();
      assertThat(node.path("labels").path("severity").asText())
          .as("severity of %s", alert.name())
          .isIn(SEVERITIES);
      assertThat(node.path("annotations").path("summary").asText())
          .as("summary of %s", alert.name())
          .isNotBlank();
      assertThat(node.path("annotations").path("description").asText())
          .as("description of %s", alert.name())
          .isNotBlank();
      Matcher url = RUNBOOK_URL.matcher(node.path("annotations").path("runbook_url").asText());
      assertThat(url.matches())
          .as("runbook_url of %s points to docs/runbooks/*.md", alert.name())
          .isTrue();
      assertThat(DeployFiles.path(url.group(1))).as("runbook of %s", alert.name()).isRegularFile();
      assertThat(DeployFiles.read(DeployFiles.path(url.group(1))))
          .as("runbook %s names its alert", url.group(1))
          .contains(alert.name());
    }
  }

  @Test
  void everyRunbookBelongsToAnAlert() throws IOException {
    Set<String> referenced = new TreeSet<>();
    for (Rule alert : alerts()) {
      Matcher url =
          RUNBOOK_URL.matcher(alert.node().path("annotations").path("runbook_url").asText());
      if (url.matches()) {
        referenced.add(url.group(1));
      }
    }
    try (Stream<Path> files = Files.list(DeployFiles.path("docs/runbooks"))) {
      List<String> runbooks =
          files
              .map(p -> "docs/runbooks/" + p.getFileName())
              .filter(p -> !p.endsWith("README.md"))
              .toList();
      assertThat(referenced).containsExactlyInAnyOrderElementsOf(runbooks);
    }
  }

  @Test
  void alertNamesAreUniqueAndCamelCase() {
    List<String> names = alerts().stream().map(Rule::name).toList();
    assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("Prebuilds[A-Z][A-Za-z]+"));
  }

  @Test
  void everyMetricARuleReadsIsInTheCatalogue() {
    Set<String> recorded = recordedNames();
    for (Rule rule : rules()) {
      assertThat(MetricReferences.unknown(rule.expr(), recorded))
          .as("metrics of %s missing from MetricCatalogue", rule.name())
          .isEmpty();
    }
  }

  @Test
  void perPresetSeriesAreAggregatedPerPresetSoRebalancesDoNotDoubleCount() {
    for (Rule rule : rules()) {
      boolean readsPresetSeries =
          PromQl.metricNames(rule.expr()).stream()
              .map(MetricCatalogue::bySeriesName)
              .flatMap(Optional::stream)
              .anyMatch(m -> m.labels().equals(MetricCatalogue.PRESET_LABELS));
      if (readsPresetSeries) {
        assertThat(rule.expr()).as("aggregation in %s", rule.name()).contains(PER_PRESET);
      }
    }
  }

  @Test
  void theIssuesAlertsAreAllThere() {
    assertThat(alerts().stream().map(Rule::name))
        .contains(
            "PrebuildsPresetBelowDesired",
            "PrebuildsIneligiblePrebuilds",
            "PrebuildsPresetHardLimited",
            "PrebuildsResourceReplacements",
            "PrebuildsDeadLetterRecords",
            "PrebuildsReconciliationPaused",
            "PrebuildsPresetQuarantined",
            "PrebuildsStreamThreadReplaced",
            "PrebuildsInstanceDown",
            "PrebuildsAbsent",
            "PrebuildsConsumerLagGrowing",
            "PrebuildsWorkerLagGrowing");
    Rule belowDesired =
        alerts().stream()
            .filter(r -> r.name().equals("PrebuildsPresetBelowDesired"))
            .findFirst()
            .orElseThrow();
    assertThat(belowDesired.expr()).contains("coderd_prebuilt_workspaces_preset_hard_limited");
    assertThat(belowDesired.node().path("for").asText()).isEqualTo("10m");
  }

  @Test
  void everyAlertIsExercisedByAUnitTestThatExpectsItToFire() {
    Set<String> firing = new TreeSet<>();
    for (JsonNode test : DeployFiles.readYaml(RULE_TESTS).path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        if (!check.path("exp_alerts").isEmpty()) {
          firing.add(check.path("alertname").asText());
        }
      }
    }
    assertThat(firing).containsAll(alerts().stream().map(Rule::name).toList());
  }

  @Test
  void everyAlertIsExplainedInTheDeployReadme() {
    String readme = DeployFiles.read(DeployFiles.path("deploy/README.md"));
    assertThat(alerts()).allSatisfy(a -> assertThat(readme).contains(a.name()));
  }

  @Test
  void thePrometheusRuleForTheOperatorCarriesExactlyTheRuleFile() {
    ObjectNode rule = DeployFiles.readYaml(PROMETHEUS.resolve("prometheus-rule.yaml"));
    assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(rule.path("spec"))
        .as("prometheus-rule.yaml spec differs from rules/prebuilds-alerts.yaml; regenerate it")
        .isEqualTo(DeployFiles.readYaml(RULES));
  }

  @Test
  void scrapeConfigAndPodMonitorProduceTheJobTheRulesSelect() {
    JsonNode scrape = DeployFiles.readYaml(PROMETHEUS.resolve("scrape-config.yaml"));
    assertThat(scrape.path("scrape_configs").get(0).path("job_name").asText())
        .isEqualTo("prebuilds-streams");
    assertThat(scrape.path("scrape_configs").get(0).path("metrics_path").asText())
        .isEqualTo("/metrics");
    ObjectNode podMonitor = DeployFiles.readYaml(PROMETHEUS.resolve("podmonitor.yaml"));
    String jobLabel = podMonitor.path("spec").path("jobLabel").asText();
    JsonNode selector = podMonitor.path("spec").path("selector").path("matchLabels");
    assertThat(selector.path(jobLabel).asText()).isEqualTo("prebuilds-streams");
    JsonNode endpoint = podMonitor.path("spec").path("podMetricsEndpoints").get(0);
    assertThat(endpoint.path("port").asText()).isEqualTo("http");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    for (Rule alert : alerts()) {
      if (alert.expr().contains("job=")) {
        assertThat(alert.expr()).as(alert.name()).contains("job=\"prebuilds-streams\"");
      }
    }
  }

  @Test
  void promtoolAcceptsTheRules() {
    Promtool.Result result = Promtool.run(PROMETHEUS, "check", "rules", relative(RULES));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void promtoolUnitTestsPass() {
    Promtool.Result result = Promtool.run(PROMETHEUS, "test", "rules", relative(RULE_TESTS));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  private static String relative(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UncheckedIOException(new IOException("missing " + file));
    }
    return PROMETHEUS.relativize(file).toString();
  }
}
