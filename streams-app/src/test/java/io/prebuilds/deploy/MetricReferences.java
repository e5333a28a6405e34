package io.prebuilds.deploy;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import io.prebuilds.metrics.MetricCatalogue;

/** Which metric names in PromQL expressions the app does not export. */
final class MetricReferences {

  /** Series Prometheus makes itself rather than scraping them from the app. */
  static final Set<String> PROMETHEUS_SERIES = Set.of("up", "ALERTS", "ALERTS_FOR_STATE");

  private MetricReferences() {}

  /**
   * The names read by {@code expression} that are neither in the catalogue, nor made by Prometheus,
   * nor the output of one of {@code recordingRules}.
   */
  static Set<String> unknown(String expression, Collection<String> recordingRules) {
    Set<String> unknown = new TreeSet<>();
    for (String name : PromQl.metricNames(expression)) {
      boolean known =
          MetricCatalogue.bySeriesName(name).isPresent()
              || PROMETHEUS_SERIES.contains(name)
              || recordingRules.contains(name);
      if (!known) {
        unknown.add(name);
      }
    }
    return unknown;
  }
}
