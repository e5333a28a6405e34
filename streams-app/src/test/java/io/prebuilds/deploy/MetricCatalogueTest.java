package io.prebuilds.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.prebuilds.metrics.MetricCatalogue;
import io.prebuilds.metrics.MetricCatalogue.Metric;
import io.prebuilds.metrics.MetricCatalogue.Origin;
import io.prebuilds.metrics.MetricCatalogue.Type;

class MetricCatalogueTest {

  @Test
  void everyMetricHasALowerSnakeNameAndHelpText() {
    assertThat(MetricCatalogue.all())
        .allSatisfy(
            m -> {
              assertThat(m.name()).as("name").matches(MetricCatalogue.NAME_PATTERN);
              assertThat(m.help()).as("help of %s", m.name()).isNotBlank();
              assertThat(m.help()).as("help of %s", m.name()).doesNotContain("\n");
              assertThat(m.labels())
                  .as("labels of %s", m.name())
                  .allMatch(l -> MetricCatalogue.NAME_PATTERN.matcher(l).matches())
                  .doesNotHaveDuplicates();
            });
  }

  @Test
  void namesFollowPrometheusConventionsForTheirType() {
    assertThat(MetricCatalogue.all())
        .allSatisfy(
            m -> {
              switch (m.type()) {
                case COUNTER -> assertThat(m.name()).as("counter").endsWith("_total");
                case GAUGE -> assertThat(m.name()).as("gauge").doesNotEndWith("_total");
                case HISTOGRAM -> assertThat(m.name()).as("histogram unit").endsWith("_seconds");
              }
            });
  }

  @Test
  void ownMetricsArePrefixedByTheirFamily() {
    assertThat(MetricCatalogue.byOrigin(Origin.CODER_COMPATIBLE))
        .allMatch(m -> m.name().startsWith("coderd_prebuilt_workspaces_"));
    assertThat(MetricCatalogue.byOrigin(Origin.PREBUILDS))
        .allMatch(m -> m.name().startsWith("prebuilds_"));
    assertThat(MetricCatalogue.byOrigin(Origin.KAFKA_CLIENT))
        .allMatch(m -> m.name().startsWith("kafka_"));
  }

  @Test
  void coderCompatibleSeriesCarryCodersLabels() {
    assertThat(MetricCatalogue.byOrigin(Origin.CODER_COMPATIBLE))
        .allMatch(
            m -> m.labels().equals(MetricCatalogue.PRESET_LABELS) || m.labels().isEmpty(),
            "labels are (organization_name, template_name, preset_name) or none");
    assertThat(MetricCatalogue.byName("coderd_prebuilt_workspaces_created_total"))
        .map(Metric::type)
        .contains(Type.COUNTER);
  }

  @Test
  void includesEveryCoderSeriesTheIssueNames() {
    List<String> coder =
        List.of(
            "created_total",
            "failed_total",
            "claimed_total",
            "desired",
            "running",
            "eligible",
            "resource_replacements_total",
            "preset_hard_limited",
            "preset_validation_failed",
            "reconciliation_paused",
            "metrics_last_updated");
    assertThat(coder)
        .allSatisfy(
            suffix ->
                assertThat(MetricCatalogue.byName("coderd_prebuilt_workspaces_" + suffix))
                    .as(suffix)
                    .isPresent());
  }

  @Test
  void seriesNamesAreUniqueAndResolveToTheirFamily() {
    Set<String> seen = new HashSet<>();
    for (Metric metric : MetricCatalogue.all()) {
      for (String series : metric.seriesNames()) {
        assertThat(seen.add(series)).as("duplicate series %s", series).isTrue();
        assertThat(MetricCatalogue.bySeriesName(series)).contains(metric);
      }
    }
    assertThat(MetricCatalogue.bySeriesName("prebuilds_claim_latency_seconds_bucket"))
        .contains(MetricCatalogue.CLAIM_LATENCY);
    assertThat(MetricCatalogue.allSeriesNames()).hasSameSizeAs(seen);
  }
}
