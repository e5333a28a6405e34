package io.prebuilds.runtime.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.runtime.Stage;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;

/**
 * Our topics on a real cluster, through the admin client: what exists, and creating what is
 * missing. Creating is idempotent (a topic created concurrently by someone else counts as present)
 * and never changes an existing topic: partition counts are chosen once, and config drift is
 * reported for an operator to decide.
 */
public final class TopicAdmin {
  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

  private final Admin admin;
  private final Duration timeout;

  public TopicAdmin(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /** What {@link #apply} did: the topics it created and the report afterwards. */
  public record Applied(List<String> created, TopicReport report) {
    public Applied {
      created = List.copyOf(created);
    }
  }

  /**
   * The partition count a topic of the catalogue is created with: the co-partition count, except
   * the settings topic, which holds one key.
   */
  public static int partitionsFor(TopicSpec<?> spec, int partitions) {
    return spec.equals(Topics.SETTINGS) ? 1 : partitions;
  }

  /** The catalogue's topics that exist, with their partition counts and relevant configs. */
  public Map<String, ObservedTopic> observe(List<TopicSpec<?>> catalogue)
      throws InterruptedException {
    Map<String, KafkaFuture<TopicDescription>> described =
        admin.describeTopics(catalogue.stream().map(TopicSpec::name).toList()).topicNameValues();
    Map<String, Integer> partitions = new HashMap<>();
    for (var entry : described.entrySet()) {
      try {
        partitions.put(entry.getKey(), await(entry.getValue()).partitions().size());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw failure("describing topic " + entry.getKey(), e);
        }
      }
    }
    List<ConfigResource> resources =
        partitions.keySet().stream()
            .sorted()
            .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
            .toList();
    Map<ConfigResource, Config> configs;
    try {
      configs = await(admin.describeConfigs(resources).all());
    } catch (ExecutionException e) {
      throw failure("describing topic configs", e);
    }
    Map<String, ObservedTopic> observed = new HashMap<>();
    for (TopicSpec<?> spec : catalogue) {
      Integer count = partitions.get(spec.name());
      if (count == null) {
        continue;
      }
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
      Map<String, String> relevant = new HashMap<>();
      for (String key : spec.configs().keySet()) {
        var entry = config == null ? null : config.get(key);
        if (entry != null && entry.value() != null) {
          relevant.put(key, entry.value());
        }
      }
      observed.put(spec.name(), new ObservedTopic(spec.name(), count, relevant));
    }
    return observed;
  }

  /**
   * A stage that creates the catalogue's missing topics with the configured partition count and
   * replication factor (for {@code dev}, whose broker never creates topics by itself) and fails
   * when the existing ones would keep the service from running.
   */
  public static Stage applyStage() {
    return new Stage(
        "topics",
        context -> {
          var config = context.config();
          try (var admin = Admin.create(config.streams().adminProperties())) {
            var applied =
                new TopicAdmin(admin, Duration.ofSeconds(30))
                    .apply(
                        Topics.all(),
                        config.topics().partitions(),
                        config.topics().replicationFactor());
            var refusal = applied.report().refusal();
            if (refusal.isPresent()) {
              throw new IllegalStateException(
                  refusal.get() + " (start with --fresh to recreate the dev topics)");
            }
            log.atInfo()
                .addKeyValue("created", applied.created().size())
                .addKeyValue("partitions", config.topics().partitions())
                .log("topics ready");
          }
          return () -> {};
        });
  }

  /** Compares the cluster's topics with the catalogue. */
  public TopicReport check(List<TopicSpec<?>> catalogue, int partitions)
      throws InterruptedException {
    return TopicReport.compare(catalogue, observe(catalogue), partitions);
  }

  /** Creates the catalogue's missing topics, then reports on all of them. */
  public Applied apply(List<TopicSpec<?>> catalogue, int partitions, short replicationFactor)
      throws InterruptedException {
    Map<String, ObservedTopic> before = observe(catalogue);
    List<NewTopic> missing =
        catalogue.stream()
            .filter(spec -> !before.containsKey(spec.name()))
            .map(spec -> spec.newTopic(partitionsFor(spec, partitions), replicationFactor))
            .toList();
    List<String> created = new ArrayList<>();
    if (!missing.isEmpty()) {
      var results = admin.createTopics(missing).values();
      for (var entry : results.entrySet()) {
        try {
          await(entry.getValue());
          created.add(entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw failure("creating topic " + entry.getKey(), e);
          }
        }
      }
    }
    if (!created.isEmpty()) {
      log.atInfo()
          .addKeyValue("topics", String.join(",", created))
          .addKeyValue("partitions", partitions)
          .addKeyValue("replicationFactor", replicationFactor)
          .log("topics created");
    }
    return new Applied(created, check(catalogue, partitions));
  }

  private <T> T await(KafkaFuture<T> future) throws ExecutionException, InterruptedException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ExecutionException(
          new org.apache.kafka.common.errors.TimeoutException(
              "no answer from the Kafka cluster within " + timeout.toSeconds() + " s"));
    }
  }

  private static IllegalStateException failure(String what, ExecutionException e) {
    var cause = e.getCause() == null ? e : e.getCause();
    return new IllegalStateException(what + " failed: " + cause.getMessage(), cause);
  }
}
