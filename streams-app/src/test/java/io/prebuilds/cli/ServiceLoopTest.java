package io.prebuilds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.prebuilds.runtime.Health;
import io.prebuilds.runtime.Lifecycle;
import io.prebuilds.runtime.RuntimeContext;
import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.config.ConfigLoader;
import io.prebuilds.runtime.config.ConfigSources;
import io.prebuilds.runtime.config.ConfigValue;
import io.prebuilds.runtime.demo.DemoSettings;
import io.prebuilds.runtime.demo.DemoTemplates;
import io.prebuilds.runtime.demo.DemoWorkload;
import io.prebuilds.runtime.http.Router;
import io.prebuilds.runtime.topics.TopicAdmin;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.ClaimWorkspace;
import io.prebuilds.schemas.event.Claimed;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.FailureLimitReached;
import io.prebuilds.schemas.event.Notification;
import io.prebuilds.schemas.event.PresetSnapshot;
import io.prebuilds.schemas.event.ReinitializeAgent;
import io.prebuilds.schemas.event.ResourceReplacements;
import io.prebuilds.testing.KafkaBroker;

/**
 * The whole service on a real broker under exactly-once, with the demo workload as its worker:
 * templates → creates → builds → pool full → claim → result, backfill, reinitialization; the
 * always-failing preset reaches its hard limit, the drifting claim is notified. Then the app
 * restarts on its persistent state directory and keeps going without a duplicate command or
 * notification. Everything is read with read_committed, as workers and the sink read it.
 */
class ServiceLoopTest {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  @TempDir Path stateDir;

  private final EventCodec codec = EventCodec.create();
  private final List<ConsumerRecord<String, byte[]>> seen =
      Collections.synchronizedList(new ArrayList<>());
  private final List<AutoCloseable> running = new ArrayList<>();
  private KafkaConsumer<String, byte[]> audit;

  @AfterEach
  void stop() throws Exception {
    Collections.reverse(running);
    for (AutoCloseable part : running) {
      part.close();
    }
  }

  @Test
  void theLoopRunsUnderExactlyOnceAndARestartRepeatsNothing() throws Exception {
    AppConfig config = config();
    Lifecycle.start(List.of(TopicAdmin.applyStage()), context(config)).close();
    var demo =
        DemoWorkload.start(
            DemoSettings.defaults()
                .withFailureRate(0)
                .withBuildTime(Duration.ofMillis(300))
                .withClaims(Duration.ofSeconds(4), Duration.ofSeconds(2)),
            Clock.systemUTC(),
            config.streams().adminProperties());
    running.add(demo);
    var firstContext = context(config);
    var app = Lifecycle.start(List.of(ServiceStages.app()), firstContext);
    startAudit();

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              poll();
              assertThat(latestState(DemoTemplates.SMALL_PRESET))
                  .hasValueSatisfying(s -> assertThat(s.eligible()).isEqualTo(3));
              var claim = firstClaimOf(DemoTemplates.SMALL_PRESET);
              assertThat(claim).isPresent();
              Claimed claimed = claim.get();
              assertThat(commands(ClaimWorkspace.class))
                  .anyMatch(c -> c.claimId().equals(claimed.claimId()));
              assertThat(commands(ReinitializeAgent.class))
                  .anyMatch(r -> r.workspaceId().equals(claimed.workspaceId()));
              assertThat(
                      commands(CreatePrebuild.class).stream()
                          .filter(c -> c.presetId().equals(DemoTemplates.SMALL_PRESET)))
                  .as("backfill after the claim")
                  .hasSizeGreaterThan(3);
              assertThat(notifications(FailureLimitReached.class))
                  .singleElement()
                  .satisfies(n -> assertThat(n.presetId()).isEqualTo(DemoTemplates.BROKEN_PRESET));
              assertThat(notifications(ResourceReplacements.class)).hasSize(1);
            });
    assertThat(firstContext.health().readiness().ok()).isTrue();

    app.close();
    int claimsBefore = values(Topics.CLAIM_RESULTS.name()).size();
    var secondContext = context(config);
    running.add(Lifecycle.start(List.of(ServiceStages.app()), secondContext));

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              poll();
              assertThat(secondContext.health().readiness().ok()).isTrue();
              assertThat(values(Topics.CLAIM_RESULTS.name())).hasSizeGreaterThan(claimsBefore + 2);
            });
    assertThat(duplicates(commands(Command.class), Command::commandId)).isEmpty();
    assertThat(duplicates(notifications(Notification.class), Notification::notificationId))
        .isEmpty();
  }

  private AppConfig config() {
    Map<String, ConfigValue> flags = new HashMap<>();
    Map.of(
            "bootstrap.servers", kafka.bootstrapServers(),
            "state.dir", stateDir.toString(),
            "application.id", "loop-test",
            "prebuilds.topics.partitions", "2",
            "prebuilds.topics.replication-factor", "1",
            "num.standby.replicas", "0",
            "prebuilds.http.port", "0",
            "prebuilds.reconcile.backoff-interval-seconds", "1")
        .forEach((key, value) -> flags.put(key, new ConfigValue(value, "test")));
    return ConfigLoader.load(
            new ConfigSources(Map.of(), Optional.empty(), Map.of(), Map.of(), flags))
        .config();
  }

  private static RuntimeContext context(AppConfig config) {
    return new RuntimeContext(
        config,
        Clock.systemUTC(),
        new SimpleMeterRegistry(),
        new io.prebuilds.runtime.metrics.TextExposition(),
        new Health(),
        new Router());
  }

  private void startAudit() {
    audit =
        kafka.bytesConsumer(
            Topics.COMMANDS.name(),
            Topics.CLAIM_RESULTS.name(),
            Topics.NOTIFICATIONS.name(),
            Topics.PRESET_STATE.name());
    running.add(audit);
  }

  private void poll() {
    audit.poll(Duration.ofMillis(200)).forEach(seen::add);
  }

  private List<Event> values(String topic) {
    synchronized (seen) {
      return seen.stream()
          .filter(r -> r.topic().equals(topic) && r.value() != null)
          .map(r -> (Event) codec.decode(r.value()).orElseThrow().data())
          .toList();
    }
  }

  private <C> List<C> commands(Class<C> kind) {
    return values(Topics.COMMANDS.name()).stream()
        .filter(kind::isInstance)
        .map(kind::cast)
        .toList();
  }

  private <N> List<N> notifications(Class<N> kind) {
    return values(Topics.NOTIFICATIONS.name()).stream()
        .filter(kind::isInstance)
        .map(kind::cast)
        .toList();
  }

  private Optional<PresetSnapshot> latestState(String presetId) {
    return values(Topics.PRESET_STATE.name()).stream()
        .map(PresetSnapshot.class::cast)
        .filter(s -> s.presetId().equals(presetId))
        .reduce((first, second) -> second);
  }

  private Optional<Claimed> firstClaimOf(String presetId) {
    return values(Topics.CLAIM_RESULTS.name()).stream()
        .filter(Claimed.class::isInstance)
        .map(Claimed.class::cast)
        .filter(c -> c.presetId().equals(presetId))
        .findFirst();
  }

  private static <T> Map<String, Long> duplicates(List<T> items, Function<T, String> id) {
    return items.stream()
        .collect(Collectors.groupingBy(id, Collectors.counting()))
        .entrySet()
        .stream()
        .filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
