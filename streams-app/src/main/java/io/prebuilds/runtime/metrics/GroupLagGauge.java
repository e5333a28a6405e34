package io.prebuilds.runtime.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import io.prebuilds.metrics.MetricCatalogue;

/**
 * The lag series, one per worker group, whose meters stay registered while their group exists.
 *
 * <p>Re-registering every row on each refresh ({@code MultiGauge} with overwrite) removes a meter
 * and adds it back; a scrape landing in between saw no lag family at all. Here a refresh only sets
 * the value of a group it already knows, and adds or removes the groups that came or went.
 */
final class GroupLagGauge {
  private final MultiGauge gauge;

  /** Touched only under this object's lock; scrapes read the {@code AtomicLong}s themselves. */
  private final Map<String, AtomicLong> lagByGroup = new HashMap<>();

  GroupLagGauge(MeterRegistry registry) {
    gauge =
        MultiGauge.builder(MetricCatalogue.COMMANDS_CONSUMER_GROUP_LAG.name().replace('_', '.'))
            .description(MetricCatalogue.COMMANDS_CONSUMER_GROUP_LAG.help())
            .register(registry);
  }

  /**
   * Publishes the lag of every current group; groups absent from {@code lags} lose their series.
   */
  synchronized void update(Map<String, Long> lags) {
    lagByGroup.keySet().retainAll(lags.keySet());
    lags.forEach((group, lag) -> lagByGroup.computeIfAbsent(group, g -> new AtomicLong()).set(lag));
    gauge.register(
        lagByGroup.entrySet().stream()
            .map(
                entry ->
                    MultiGauge.Row.of(
                        Tags.of("consumer_group", entry.getKey()),
                        entry.getValue(),
                        AtomicLong::doubleValue))
            .toList(),
        false);
  }

  synchronized void clear() {
    lagByGroup.clear();
    gauge.register(List.of(), true);
  }
}
