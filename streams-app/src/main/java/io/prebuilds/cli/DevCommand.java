package io.prebuilds.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.prebuilds.runtime.GracefulShutdown;
import io.prebuilds.runtime.Service;
import io.prebuilds.runtime.Stage;
import io.prebuilds.runtime.config.AdminToken;
import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.config.ConfigValue;
import io.prebuilds.runtime.config.Setting;
import io.prebuilds.runtime.demo.DemoSettings;
import io.prebuilds.runtime.demo.DemoTemplates;
import io.prebuilds.runtime.demo.DemoWorkload;
import io.prebuilds.runtime.dev.DevBroker;
import io.prebuilds.runtime.dev.DevReadModel;
import io.prebuilds.runtime.topics.TopicAdmin;

/**
 * {@code prebuilds dev}: everything on this machine. A real single-node Kafka broker in this JVM,
 * the topics, the read model (embedded PostgreSQL and a Connect worker with our sink), the service
 * ({@code dev} stages) and the demo workload; runs until Ctrl-C. Single-broker defaults
 * (replication factor 1, no standbys, HTTP on loopback, a generated admin token) apply unless the
 * config says otherwise; the bootstrap servers are always the embedded broker's.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = "Run everything locally: an embedded Kafka broker and the service, until Ctrl-C.")
final class DevCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description = "Port of the embedded Kafka broker (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "localhost",
      description = "Host name of the embedded Kafka broker (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = ".dev-data",
      description = "Where the broker and the app keep their data (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--fresh",
      description = "Wipe the broker's, PostgreSQL's and the app's data before starting.")
  boolean fresh;

  @Option(
      names = "--postgres-port",
      paramLabel = "PORT",
      defaultValue = "15432",
      description = "Port of the embedded PostgreSQL read model (default: ${DEFAULT-VALUE}).")
  int postgresPort;

  @Option(
      names = "--no-read-model",
      description = "Skip PostgreSQL and the Connect worker (the read model).")
  boolean noReadModel;

  @Option(names = "--no-demo", description = "Skip the demo workload (bring your own workers).")
  boolean noDemo;

  @Option(
      names = "--demo-failure-rate",
      paramLabel = "RATE",
      defaultValue = "0.1",
      description =
          "Share of the demo's create builds that fail, 0 to 1 (default: ${DEFAULT-VALUE}); one"
              + " demo preset always fails regardless.")
  double demoFailureRate;

  private final Map<String, String> environment;
  private final List<Stage> stages;

  DevCommand(Map<String, String> environment, List<Stage> stages) {
    this.environment = environment;
    this.stages = stages;
  }

  @Override
  public Integer call() throws Exception {
    var generatedToken = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    var defaults =
        Map.of(
            Setting.TOPIC_REPLICATION_FACTOR.key(), "1",
            Setting.NUM_STANDBY_REPLICAS.key(), "0",
            Setting.HTTP_HOST.key(), "127.0.0.1",
            Setting.STATE_DIR.key(), dataDir.resolve("state").toString(),
            Setting.ADMIN_TOKEN.key(), generatedToken);
    var bootstrap = host + ":" + port;
    var forced = Map.of(Setting.BOOTSTRAP_SERVERS.key(), new ConfigValue(bootstrap, "flag --port"));
    var config = Launch.config(options, defaults, environment, forced);
    if (fresh) {
      deleteRecursively(config.streams().stateDir().resolve(config.streams().applicationId()));
    }
    if (demoFailureRate < 0 || demoFailureRate > 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--demo-failure-rate must be between 0 and 1, got " + demoFailureRate);
    }
    var readModel = new AtomicReference<DevReadModel>();
    var all = new ArrayList<Stage>();
    all.add(
        new Stage(
            "embedded Kafka broker",
            context -> DevBroker.start(new DevBroker.Settings(host, port, dataDir, fresh))));
    all.add(TopicAdmin.applyStage());
    if (!noReadModel) {
      all.add(
          new Stage(
              "read model (PostgreSQL and Connect)",
              context -> {
                readModel.set(
                    DevReadModel.start(
                        new DevReadModel.Settings(dataDir, postgresPort, fresh), bootstrap));
                return readModel.get();
              }));
    }
    all.addAll(stages);
    if (!noDemo) {
      all.add(DemoWorkload.stage(DemoSettings.defaults().withFailureRate(demoFailureRate)));
    }
    var out = spec.commandLine().getOut();
    try (var shutdown = GracefulShutdown.install(config.shutdownTimeout())) {
      Service.run(
          config,
          all,
          shutdown,
          started -> {
            out.println("prebuilds-streams dev is running");
            out.println("  Kafka bootstrap:  " + bootstrap + "  (data in " + dataDir + ")");
            out.println("  Status page:      " + started.httpBase());
            out.println("  Metrics:          " + started.httpBase().resolve("metrics"));
            out.println("  Health:           " + started.httpBase().resolve("healthz"));
            out.println("  Ready:            " + started.httpBase().resolve("readyz"));
            out.println("  Admin token:      " + shownToken(config, generatedToken));
            var database = readModel.get();
            if (database != null) {
              out.println("  PostgreSQL:       " + database.connectionString());
              out.println("  Connect REST:     " + database.connectRestUrl());
            }
            out.println(
                noDemo
                    ? "  Demo workload:    off"
                    : "  Demo workload:    templates "
                        + DemoTemplates.TEMPLATE_ID
                        + " and "
                        + DemoTemplates.BROKEN_TEMPLATE_ID
                        + "; a claim every "
                        + DemoSettings.defaults().claimInterval().toSeconds()
                        + " s");
            out.println("Press Ctrl-C to stop.");
            out.flush();
          });
      // before closing `shutdown`: once it is closed a signal's JVM exit may not wait for us
      out.println("prebuilds-streams dev stopped");
      out.flush();
    }
    return Main.OK;
  }

  private static String shownToken(AppConfig config, String generated) {
    return config
        .http()
        .adminToken()
        .map(AdminToken::value)
        .map(token -> token.equals(generated) ? token : "(from your configuration)")
        .orElse("(none)");
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
