package io.prebuilds.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PromQlTest {

  static Stream<Arguments> expressions() {
    return Stream.of(
        Arguments.of("up", Set.of("up")),
        Arguments.of(
            "max by (organization_name, template_name, preset_name) (coderd_prebuilt_workspaces_desired)",
            Set.of("coderd_prebuilt_workspaces_desired")),
        Arguments.of(
            "sum(rate(a_total{job=\"x\", client_id=~\".+-StreamThread-[0-9]+-consumer\"}[5m])) by (le)",
            Set.of("a_total")),
        Arguments.of(
            "a - on (preset_name) group_left(template_name) b unless on () c == bool 1",
            Set.of("a", "b", "c")),
        Arguments.of(
            "histogram_quantile(0.95, sum by (le) (rate(h_bucket{x=~\"$preset\"}[$__rate_interval])))",
            Set.of("h_bucket")),
        Arguments.of("absent(up{job=\"prebuilds-streams\"} == 1)", Set.of("up")),
        Arguments.of("time() - max(last_updated) or vector(0)", Set.of("last_updated")),
        Arguments.of("rate(x[5m] offset 1h) > Inf", Set.of("x")),
        Arguments.of("max_over_time(deriv(g[10m])[1h:5m])", Set.of("g")),
        Arguments.of("count(y{a='by (z)'} > 1e3)", Set.of("y")),
        Arguments.of("sum(z) without (pod) * ${factor}", Set.of("z")),
        Arguments.of("prebuilds:lag:max > 0", Set.of("prebuilds:lag:max")),
        Arguments.of(
            "label_values(coderd_prebuilt_workspaces_desired, template_name)",
            Set.of("coderd_prebuilt_workspaces_desired")),
        Arguments.of(
            "label_values(m{organization_name=~\"$organization\"}, preset_name)", Set.of("m")),
        Arguments.of("label_values(organization_name)", Set.of()),
        Arguments.of("query_result(topk(5, w))", Set.of("w")));
  }

  @ParameterizedTest
  @MethodSource("expressions")
  void findsTheMetricNamesAnExpressionReads(String expression, Set<String> expected) {
    assertThat(PromQl.metricNames(expression)).containsExactlyInAnyOrderElementsOf(expected);
  }
}
