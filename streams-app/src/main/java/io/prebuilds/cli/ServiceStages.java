package io.prebuilds.cli;

import java.time.Duration;

import org.apache.kafka.clients.admin.Admin;

import io.prebuilds.reconcile.ReconcileConfig;
import io.prebuilds.runtime.Stage;
import io.prebuilds.runtime.StreamsService;
import io.prebuilds.runtime.api.PresetApi;
import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.config.ReconcileSettings;
import io.prebuilds.runtime.metrics.PrebuildsMetrics;
import io.prebuilds.runtime.metrics.StateMetrics;
import io.prebuilds.runtime.rebuild.RebuildCheck;
import io.prebuilds.runtime.rebuild.RebuildProgress;
import io.prebuilds.runtime.topics.TopicGate;
import io.prebuilds.topology.AdmissionSettings;
import io.prebuilds.topology.PrebuildsTopology;
import io.prebuilds.topology.RebuildGate;
import io.prebuilds.topology.TopologySettings;

/** The service's own parts, the same for {@code run} and {@code dev}. */
final class ServiceStages {
  /** How often the topic check repeats while the topics are not right. */
  static final Duration TOPIC_RECHECK = Duration.ofSeconds(10);

  private ServiceStages() {}

  /**
   * The Kafka Streams app running the topology (exactly-once v2 unless configured otherwise),
   * behind the topic check: it starts once the topics exist, are co-partitioned and have the right
   * cleanup policies, and holds readiness back with a message naming the topics until then. Before
   * it starts, a start on topics that hold history with no committed offsets becomes a rebuild
   * ({@code prebuilds.rebuild}). With it come the preset API and status page, and the metrics read
   * from the preset stores.
   */
  static Stage app() {
    return TopicGate.stage(
        "kafka-streams",
        context -> {
          var metrics = new PrebuildsMetrics(context.registry());
          var config = context.config();
          RebuildGate rebuild;
          try (var admin = Admin.create(config.streams().adminProperties())) {
            rebuild = RebuildCheck.gate(admin, config.streams().applicationId(), config.rebuild());
          }
          var service =
              StreamsService.start(
                  PrebuildsTopology.build(topologySettings(config), metrics, rebuild),
                  PrebuildsTopology.requiredStreamsConfig(metrics),
                  context);
          var progress = RebuildProgress.watch(rebuild, service.streams(), context.clock());
          var api = PresetApi.install(context, service.streams());
          var stateMetrics = StateMetrics.install(context, service.streams());
          return () -> {
            try (service;
                progress;
                AutoCloseable apiRoutes = api;
                stateMetrics) {
              // closed in reverse: state metrics, API routes, rebuild progress, then Kafka Streams
            }
          };
        },
        TOPIC_RECHECK);
  }

  static TopologySettings topologySettings(AppConfig config) {
    var defaults = TopologySettings.defaults(config.topics().partitions());
    return defaults
        .withReconcile(reconcileConfig(config.reconcile()))
        .withTick(defaults.tick(), config.reconcile().dueIndexMaxPresetsPerTick())
        .withDecisionsPerSecond(config.reconcile().dueIndexDecisionsPerSecond())
        .withAdmission(
            new AdmissionSettings(
                config.reconcile().admissionBudget(), config.reconcile().capacityCaps()))
        .withCachedPresets(config.reconcile().cachedPresetsPerTask())
        .withClaimCommitWithin(config.reconcile().claimCommitWithin());
  }

  /** The configured knobs; the resync jitter keeps the decision core's default. */
  static ReconcileConfig reconcileConfig(ReconcileSettings settings) {
    return new ReconcileConfig(
        settings.backoffInterval(),
        settings.backoffLookback(),
        settings.failureHardLimit(),
        settings.commandTimeout(),
        settings.resyncInterval(),
        ReconcileConfig.defaults().resyncJitter(),
        settings.failedRetention());
  }
}
