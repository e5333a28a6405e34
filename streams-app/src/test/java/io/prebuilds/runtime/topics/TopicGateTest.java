package io.prebuilds.runtime.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.prebuilds.runtime.Health;
import io.prebuilds.runtime.Lifecycle;
import io.prebuilds.runtime.RuntimeContext;
import io.prebuilds.runtime.config.ConfigLoader;
import io.prebuilds.runtime.config.ConfigSources;
import io.prebuilds.runtime.config.ConfigValue;
import io.prebuilds.runtime.http.Router;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.testing.KafkaBroker;

/**
 * At start the service checks its topics on the real cluster: while one is missing or breaks the
 * co-partition group it holds readiness back with a message naming the topic and does not start the
 * app; once the topics are fixed it starts by itself.
 */
class TopicGateTest {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  @TempDir Path stateDir;

  @Test
  void holdsTheAppBackUntilTheTopicsAreRightThenStartsIt() throws Exception {
    var everythingButClaims =
        Topics.all().stream()
            .filter(t -> !t.equals(Topics.CLAIMS) && !t.equals(Topics.BUILDS))
            .map(t -> t.newTopic(TopicAdmin.partitionsFor(t, 2), (short) 1))
            .toList();
    kafka.createTopics(everythingButClaims);
    kafka.createTopics(List.of(Topics.BUILDS.newTopic(3, (short) 1)));
    var context = context();
    var started = new AtomicInteger();

    try (var lifecycle =
        Lifecycle.start(
            List.of(
                TopicGate.stage(
                    "app",
                    c -> {
                      started.incrementAndGet();
                      return () -> {};
                    },
                    Duration.ofMillis(200))),
            context)) {
      assertThat(context.health().readiness().ok()).isFalse();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(context.health().readiness().detail())
                      .isEqualTo(
                          "topics: missing topics: prebuilds.claims.v1; prebuilds.builds.v1 has 3"
                              + " partitions, expected 2 (every preset-keyed topic must have"
                              + " prebuilds.topics.partitions; partitions are never changed"
                              + " automatically)"));
      assertThat(context.health().liveness().ok()).isTrue();
      assertThat(started).hasValue(0);

      try (var admin = kafka.admin()) {
        admin.deleteTopics(List.of(Topics.BUILDS.name())).all().get();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !admin.listTopics().names().get().contains(Topics.BUILDS.name()));
      }
      var fixed =
          List.<TopicSpec<?>>of(Topics.CLAIMS, Topics.BUILDS).stream()
              .map(t -> t.newTopic(2, (short) 1))
              .toList();
      kafka.createTopics(fixed);

      await().atMost(Duration.ofSeconds(30)).until(() -> started.get() == 1);
      assertThat(context.health().readiness().detail()).doesNotContain("topics");
    }
  }

  private RuntimeContext context() {
    Map<String, ConfigValue> flags = new HashMap<>();
    Map.of(
            "bootstrap.servers",
            kafka.bootstrapServers(),
            "state.dir",
            stateDir.toString(),
            "prebuilds.topics.partitions",
            "2",
            "prebuilds.topics.replication-factor",
            "1")
        .forEach((key, value) -> flags.put(key, new ConfigValue(value, "test")));
    var config =
        ConfigLoader.load(new ConfigSources(Map.of(), Optional.empty(), Map.of(), Map.of(), flags))
            .config();
    return new RuntimeContext(
        config,
        Clock.systemUTC(),
        new SimpleMeterRegistry(),
        new io.prebuilds.runtime.metrics.TextExposition(),
        new Health(),
        new Router());
  }
}
