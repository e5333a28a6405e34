package io.prebuilds.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import io.prebuilds.runtime.GracefulShutdown;
import io.prebuilds.runtime.Service;
import io.prebuilds.runtime.Stage;

/** {@code prebuilds run}: the service against an existing Kafka cluster, until SIGTERM. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the service against an existing Kafka cluster until stopped (SIGTERM).")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka bootstrap servers (or bootstrap.servers / KAFKA_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  private final Map<String, String> environment;
  private final List<Stage> stages;

  RunCommand(Map<String, String> environment, List<Stage> stages) {
    this.environment = environment;
    this.stages = stages;
  }

  @Override
  public Integer call() throws Exception {
    var config = Launch.clusterConfig(options, Map.of(), environment, bootstrapServers);
    var out = spec.commandLine().getOut();
    try (var shutdown = GracefulShutdown.install(config.shutdownTimeout())) {
      Service.run(
          config,
          stages,
          shutdown,
          started -> {
            out.println("prebuilds-streams is running");
            out.println("  Kafka:    " + config.streams().bootstrapServers());
            out.println("  Metrics:  " + started.httpBase().resolve("metrics"));
            out.println("  Health:   " + started.httpBase().resolve("healthz"));
            out.println("  Ready:    " + started.httpBase().resolve("readyz"));
            out.flush();
          });
      // before closing `shutdown`: once it is closed a signal's JVM exit may not wait for us
      out.println("prebuilds-streams stopped");
      out.flush();
    }
    return Main.OK;
  }
}
