package io.prebuilds.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class GroupLagGaugeTest {
  private static final String NAME = "prebuilds.commands.consumer.group.lag";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GroupLagGauge gauge = new GroupLagGauge(registry);

  @Test
  void aRefreshUpdatesAGroupsMeterInPlaceSoNoScrapeCanMissIt() {
    gauge.update(Map.of("workers", 5L));
    var first = meter("workers");

    gauge.update(Map.of("workers", 3L));

    assertThat(meter("workers")).isSameAs(first);
    assertThat(first.value()).isEqualTo(3);
  }

  @Test
  void groupsThatComeAndGoGainAndLoseTheirSeries() {
    gauge.update(Map.of("workers", 5L, "old-workers", 7L));
    gauge.update(Map.of("workers", 0L, "new-workers", 2L));

    assertThat(registry.find(NAME).tag("consumer_group", "old-workers").gauge()).isNull();
    assertThat(meter("workers").value()).isZero();
    assertThat(meter("new-workers").value()).isEqualTo(2);

    gauge.clear();
    assertThat(registry.find(NAME).gauges()).isEmpty();
  }

  private Gauge meter(String group) {
    var meter = registry.find(NAME).tag("consumer_group", group).gauge();
    assertThat(meter).as("lag meter of %s", group).isNotNull();
    return meter;
  }
}
