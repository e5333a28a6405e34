package io.prebuilds.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.config.Setting;
import io.prebuilds.runtime.topics.TopicAdmin;
import io.prebuilds.runtime.topics.TopicFinding;
import io.prebuilds.runtime.topics.TopicReport;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;

/**
 * {@code prebuilds topics print|apply|check}: the topic catalogue, created or checked on a cluster
 * with the configured partition count and replication factor. {@code apply} is idempotent and never
 * changes an existing topic; {@code apply} and {@code check} exit 1 when a finding would keep the
 * service from running (missing topic, broken co-partitioning, wrong cleanup policy).
 */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Print, create or check the service's topics (from the catalogue).")
final class TopicsCommand implements Runnable {
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  static CommandLine commandLine(Map<String, String> environment) {
    var commandLine = new CommandLine(new TopicsCommand());
    commandLine.addSubcommand(new Print(environment));
    commandLine.addSubcommand(new Apply(environment));
    commandLine.addSubcommand(new Check(environment));
    return commandLine;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  /** The cluster option the subcommands share with {@code run}. */
  static final class ClusterOptions {
    @Option(
        names = "--bootstrap-servers",
        paramLabel = "HOST:PORT[,...]",
        description = "Kafka bootstrap servers (or bootstrap.servers / KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    AppConfig load(
        ConfigOptions config, Map<String, String> environment, Map<String, String> defaults) {
      return Launch.clusterConfig(config, defaults, environment, bootstrapServers);
    }
  }

  @Command(
      name = "print",
      mixinStandardHelpOptions = true,
      description = "Print the topics the service uses and how they are configured.")
  static final class Print implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions config;
    @Mixin ClusterOptions options;
    private final Map<String, String> environment;

    Print(Map<String, String> environment) {
      this.environment = environment;
    }

    @Override
    public Integer call() {
      // printing needs no cluster; a placeholder satisfies the required setting
      var loaded =
          options.load(
              config, environment, Map.of(Setting.BOOTSTRAP_SERVERS.key(), "localhost:9092"));
      var out = spec.commandLine().getOut();
      var partitions = loaded.topics().partitions();
      out.printf(
          "%-30s %10s %8s %10s %17s %14s %6s%n",
          "topic",
          "partitions",
          "cleanup",
          "retention",
          "max.message.bytes",
          "co-partitioned",
          "role");
      for (TopicSpec<?> topic : Topics.all()) {
        out.printf(
            "%-30s %10d %8s %10s %17d %14s %6s%n",
            topic.name(),
            TopicAdmin.partitionsFor(topic, partitions),
            topic.cleanupPolicy().config(),
            topic.retention().map(d -> d.toDays() + "d").orElse("-"),
            topic.maxMessageBytes(),
            topic.coPartitioned() ? "yes" : "no",
            topic.direction() == TopicSpec.Direction.INPUT ? "input" : "output");
      }
      out.printf(
          "replication factor %d; Kafka Streams adds its own internal topics"
              + " (prefix %s-), created by the app.%n",
          loaded.topics().replicationFactor(), loaded.streams().applicationId());
      out.flush();
      return Main.OK;
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Create the missing topics; report config drift. Idempotent.",
        "Never changes an existing topic (partition counts are chosen once)."
      })
  static final class Apply implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions config;
    @Mixin ClusterOptions options;
    private final Map<String, String> environment;

    Apply(Map<String, String> environment) {
      this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
      var loaded = options.load(config, environment, Map.of());
      var out = spec.commandLine().getOut();
      try (var admin = Admin.create(loaded.streams().adminProperties())) {
        var applied =
            new TopicAdmin(admin, ADMIN_TIMEOUT)
                .apply(
                    Topics.all(),
                    loaded.topics().partitions(),
                    loaded.topics().replicationFactor());
        for (TopicSpec<?> topic : Topics.all()) {
          out.println(
              (applied.created().contains(topic.name()) ? "created  " : "exists   ")
                  + topic.name());
        }
        return report(applied.report(), out);
      }
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Check the cluster's topics against the catalogue; exit 1 if the app would refuse them.")
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions config;
    @Mixin ClusterOptions options;
    private final Map<String, String> environment;

    Check(Map<String, String> environment) {
      this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
      var loaded = options.load(config, environment, Map.of());
      try (var admin = Admin.create(loaded.streams().adminProperties())) {
        var report =
            new TopicAdmin(admin, ADMIN_TIMEOUT).check(Topics.all(), loaded.topics().partitions());
        return report(report, spec.commandLine().getOut());
      }
    }
  }

  /** Prints the findings; 0 when the service can run on these topics, 1 otherwise. */
  static int report(TopicReport report, PrintWriter out) {
    for (TopicFinding finding : report.findings()) {
      out.println((finding.blocking() ? "problem: " : "drift:   ") + finding.describe());
    }
    if (report.ready()) {
      out.println(
          report.findings().isEmpty()
              ? "ok: all " + Topics.all().size() + " topics match the catalogue"
              : "ok: the service can run on these topics (drift above is not changed)");
    } else {
      out.println("not ok: the service will not process until the problems above are fixed");
    }
    out.flush();
    return report.ready() ? Main.OK : Main.FAILURE;
  }
}
