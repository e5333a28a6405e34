package io.prebuilds.runtime.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import io.prebuilds.metrics.MetricCatalogue;
import io.prebuilds.runtime.RuntimeContext;
import io.prebuilds.runtime.api.LocalState;
import io.prebuilds.topology.PrebuildsTopology;

/**
 * The metrics read from state rather than counted as events happen: Coder's per-preset series and
 * quarantine flags ({@link PresetSeries}, appended to {@code /metrics} on every scrape), the
 * entries of each key-value store, and the workers' lag on the commands topic.
 *
 * <p>Per-preset series come from this instance's active tasks only, so they follow task ownership
 * without registering or removing meters on rebalance: a preset moves, and the next scrape of each
 * instance shows it in its new place. While the stores cannot be queried the per-preset series are
 * left out and {@code coderd_prebuilt_workspaces_metrics_last_updated} keeps the time of the last
 * successful read, so dashboards show how old the figures are.
 */
public final class StateMetrics implements AutoCloseable {

  /** How often the workers' consumer-group lag is read from the cluster. */
  public static final Duration LAG_INTERVAL = Duration.ofSeconds(15);

  /** The key-value stores whose size is exported; window stores have no cheap count. */
  private static final List<String> COUNTED_STORES =
      List.of(
          PrebuildsTopology.TEMPLATE_PRESETS_STORE,
          PrebuildsTopology.PRESET_STATE_STORE,
          PrebuildsTopology.DUE_INDEX_STORE,
          PrebuildsTopology.MEMBERSHIPS_STORE,
          PrebuildsTopology.SETTINGS_STORE);

  private final LocalState local;
  private final Clock clock;
  private final MeterRegistry registry;
  private final List<Meter> gauges = new ArrayList<>();
  private AutoCloseable section;
  private CommandsConsumerLag lag;
  private Instant lastRead;
  private boolean lastPaused;

  private StateMetrics(LocalState local, Clock clock, MeterRegistry registry) {
    this.local = local;
    this.clock = clock;
    this.registry = registry;
  }

  /** Installs the state metrics of {@code streams}; closing removes them. */
  public static StateMetrics install(RuntimeContext context, KafkaStreams streams) {
    return install(context, streams, LAG_INTERVAL);
  }

  /**
   * As {@link #install(RuntimeContext, KafkaStreams)}, reading the workers' lag every {@code
   * lagInterval}.
   */
  public static StateMetrics install(
      RuntimeContext context, KafkaStreams streams, Duration lagInterval) {
    var metrics = new StateMetrics(new LocalState(streams), context.clock(), context.registry());
    for (var store : COUNTED_STORES) {
      metrics.gauges.add(
          Gauge.builder(
                  MetricCatalogue.STATE_STORE_ENTRIES.name().replace('_', '.'),
                  metrics.local,
                  state -> {
                    var entries = state.approximateEntries(store);
                    return entries.isPresent() ? entries.getAsLong() : Double.NaN;
                  })
              .description(MetricCatalogue.STATE_STORE_ENTRIES.help())
              .tag("store", store)
              .register(context.registry()));
    }
    metrics.section = context.exposition().add(metrics::presetSeries);
    var adminConfig =
        new StreamsConfig(context.config().streamsProperties())
            .getAdminConfigs("prebuilds-commands-lag");
    metrics.lag =
        CommandsConsumerLag.start(Admin.create(adminConfig), context.registry(), lagInterval);
    return metrics;
  }

  private synchronized String presetSeries() {
    var presets = local.presets(true);
    if (presets.isPresent()) {
      lastRead = clock.instant();
    }
    lastPaused = local.paused().orElse(lastPaused);
    return PresetSeries.render(presets.orElse(null), lastPaused, lastRead);
  }

  @Override
  public void close() throws Exception {
    gauges.forEach(registry::remove);
    section.close();
    lag.close();
  }
}
