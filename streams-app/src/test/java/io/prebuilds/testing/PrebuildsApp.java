package io.prebuilds.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.prebuilds.reconcile.ReconcileConfig;
import io.prebuilds.runtime.GracefulShutdown;
import io.prebuilds.runtime.Service;
import io.prebuilds.runtime.Stage;
import io.prebuilds.runtime.StreamsService;
import io.prebuilds.runtime.api.PresetApi;
import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.config.ConfigLoader;
import io.prebuilds.runtime.config.ConfigSources;
import io.prebuilds.runtime.metrics.PrebuildsMetrics;
import io.prebuilds.runtime.metrics.StateMetrics;
import io.prebuilds.schemas.Decoded;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.AgentStatusChanged;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimWorkspace;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.FailureKind;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.topology.PrebuildsTopology;
import io.prebuilds.topology.TopologySettings;

/**
 * The whole service on a {@link KafkaBroker}, wired as {@code run} wires it (the real topology,
 * {@link PrebuildsMetrics}, {@link PresetApi}, {@link StateMetrics}, HTTP), plus a scripted worker
 * that answers commands the way the worker contract says: creates with a successful start build and
 * agents ready (or a failed build for presets listed as failing), claims with a claim build,
 * deletes with a delete build. The worker commits its offsets in group {@link #WORKER_GROUP}.
 *
 * <p>Template "tpl" ("python-dev") of organization "org" ("acme"), one version "v1".
 */
public final class PrebuildsApp implements AutoCloseable {
  public static final String TEMPLATE = "tpl";
  public static final String ORG = "org";
  public static final String WORKER_GROUP = "test-workers";
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  public static final String SOURCE = "/tests/prebuilds-app";
  private static final int PARTITIONS = 2;
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(8);
  private static final String SYSTEM_USER = "c42fdf75-3097-471c-8c33-fb52454d81c0";

  private final EventCodec codec = EventCodec.create();
  private final KafkaProducer<String, byte[]> producer;
  private final GracefulShutdown shutdown;
  private final Thread serviceThread;
  private final Thread workerThread;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Set<String> failingPresets;
  private final Set<String> silentPresets;
  private final Map<String, List<String>> created = new ConcurrentHashMap<>();
  private final Set<String> claimed = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> buildNumbers = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private int sequence;

  private PrebuildsApp(KafkaBroker kafka, Set<String> failingPresets, Set<String> silentPresets)
      throws Exception {
    this.failingPresets = Set.copyOf(failingPresets);
    this.silentPresets = Set.copyOf(silentPresets);
    kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(PARTITIONS, (short) 1)).toList());
    var config = config(kafka);
    producer = kafka.bytesProducer();
    shutdown = GracefulShutdown.install(config.shutdownTimeout());
    var started = new CompletableFuture<URI>();
    serviceThread =
        new Thread(
            () -> {
              try {
                Service.run(
                    config, List.of(appStage()), shutdown, s -> started.complete(s.httpBase()));
              } catch (Exception e) {
                started.completeExceptionally(e);
              }
            },
            "prebuilds-app-under-test");
    serviceThread.start();
    base = started.get(60, TimeUnit.SECONDS);
    workerThread = new Thread(() -> work(kafka), "scripted-worker");
    workerThread.start();
  }

  /**
   * Starts the service and the worker; builds of {@code failingPresets} fail, creates of {@code
   * silentPresets} are never answered (they time out).
   */
  public static PrebuildsApp start(
      KafkaBroker kafka, Set<String> failingPresets, Set<String> silentPresets) throws Exception {
    return new PrebuildsApp(kafka, failingPresets, silentPresets);
  }

  /** The workspaces the worker created successfully for a preset and nobody claimed. */
  public List<String> unclaimedWorkspaces(String presetId) {
    return created.getOrDefault(presetId, List.of()).stream()
        .filter(workspace -> !claimed.contains(workspace))
        .toList();
  }

  /**
   * The stage the lead wires into {@code run}: topology with its metrics, then the API and the
   * state metrics on the running client. Backoff 1 s, hard limit 2 and a command timeout of {@link
   * #COMMAND_TIMEOUT} keep failure scenarios short; parked events expire after 2 s.
   */
  private static Stage appStage() {
    return new Stage(
        "prebuilds",
        context -> {
          var metrics = new PrebuildsMetrics(context.registry());
          var base = ReconcileConfig.defaults();
          var reconcile =
              new ReconcileConfig(
                  Duration.ofSeconds(1),
                  base.backoffLookback(),
                  2,
                  COMMAND_TIMEOUT,
                  base.resyncInterval(),
                  base.resyncJitter(),
                  base.failedRetention());
          var settings =
              TopologySettings.defaults(PARTITIONS).toBuilder()
                  .reconcile(reconcile)
                  .tick(Duration.ofMillis(200))
                  .parkTtl(Duration.ofSeconds(2))
                  .build();
          var service =
              StreamsService.start(
                  PrebuildsTopology.build(settings, metrics),
                  PrebuildsTopology.requiredStreamsConfig(metrics),
                  context);
          var api = PresetApi.install(context, service.streams());
          var stateMetrics =
              StateMetrics.install(context, service.streams(), Duration.ofMillis(500));
          return () -> {
            stateMetrics.close();
            api.close();
            service.close();
          };
        });
  }

  private static AppConfig config(KafkaBroker kafka) throws Exception {
    var settings = new HashMap<String, String>();
    settings.put("bootstrap.servers", kafka.bootstrapServers());
    settings.put("application.id", "prebuilds-app-" + UUID.randomUUID());
    settings.put("state.dir", Files.createTempDirectory("prebuilds-app-").toString());
    settings.put("commit.interval.ms", "100");
    settings.put("prebuilds.http.host", "127.0.0.1");
    settings.put("prebuilds.http.port", "0");
    settings.put("prebuilds.admin.token", ADMIN_TOKEN);
    settings.put("prebuilds.topics.partitions", Integer.toString(PARTITIONS));
    settings.put("prebuilds.topics.replication-factor", "1");
    settings.put("num.standby.replicas", "0");
    return ConfigLoader.load(
            new ConfigSources(settings, Optional.empty(), Map.of(), Map.of(), Map.of()))
        .config();
  }

  public URI base() {
    return base;
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A POST with the given bearer token (none when null) and an empty body. */
  public HttpResponse<String> post(String path, String token) throws Exception {
    var request =
        HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Publishes template "tpl" with one version holding these presets (id → desired). */
  public void publishTemplate(Map<String, Integer> presets) {
    send(
        Topics.TEMPLATES,
        TEMPLATE,
        TestTemplates.withPresets(TEMPLATE, "python-dev", ORG, presets));
  }

  /** A user claims a prebuild of the preset; the deadline is a minute away. */
  public void claim(String claimId, String presetId) {
    var now = Instant.now();
    send(
        Topics.CLAIMS,
        presetId,
        new ClaimRequested(
            claimId,
            presetId,
            ORG,
            "user-" + claimId,
            "alice",
            claimId + "-ws",
            now,
            now.plusSeconds(60)));
  }

  /** Sends an event in a fresh envelope, keyed as given. */
  public void send(TopicSpec<?> topic, String key, Event data) {
    String id;
    synchronized (this) {
      id = "e-" + (++sequence);
    }
    sendRaw(topic, key, codec.encode(Envelope.of(SOURCE, id, Instant.now(), data)));
  }

  /** Sends raw bytes, e.g. a poison record. */
  public void sendRaw(TopicSpec<?> topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not send to " + topic.name(), e);
    }
  }

  /** The latest build number the worker reported for a workspace (0 if none). */
  public int buildNumber(String workspaceId) {
    return buildNumbers.getOrDefault(workspaceId, 0);
  }

  private void work(KafkaBroker kafka) {
    Properties properties = kafka.consumerProperties();
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, WORKER_GROUP);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (var consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.COMMANDS.name()));
      while (!stopping.get()) {
        var records = consumer.poll(Duration.ofMillis(100));
        for (var record : records) {
          if (codec.decode(Topics.COMMANDS, record.value())
              instanceof Decoded.Accepted<?> accepted) {
            answer(accepted.envelope().data());
          }
        }
        if (!records.isEmpty()) {
          consumer.commitSync();
        }
      }
    }
  }

  private void answer(Event command) {
    var now = Instant.now();
    if (command instanceof CreatePrebuild create) {
      if (silentPresets.contains(create.presetId())) {
        return;
      }
      var fails = failingPresets.contains(create.presetId());
      build(
          create.presetId(),
          create.workspaceId(),
          1,
          Optional.of(create.commandId()),
          Optional.empty(),
          create.templateVersionId(),
          Transition.START,
          fails ? BuildStatus.FAILED : BuildStatus.SUCCEEDED,
          fails ? Optional.of(FailureKind.TRANSIENT) : Optional.empty(),
          SYSTEM_USER);
      if (!fails) {
        created
            .computeIfAbsent(create.presetId(), id -> new CopyOnWriteArrayList<>())
            .add(create.workspaceId());
        send(
            Topics.BUILDS,
            create.presetId(),
            new AgentStatusChanged(create.presetId(), create.workspaceId(), 1, true, now));
      }
    } else if (command instanceof ClaimWorkspace claim) {
      claimed.add(claim.workspaceId());
      build(
          claim.presetId(),
          claim.workspaceId(),
          buildNumber(claim.workspaceId()) + 1,
          Optional.of(claim.commandId()),
          Optional.of(claim.claimId()),
          claim.templateVersionId(),
          Transition.START,
          BuildStatus.SUCCEEDED,
          Optional.empty(),
          claim.initiator());
    } else if (command instanceof DeletePrebuild delete) {
      build(
          delete.presetId(),
          delete.workspaceId(),
          buildNumber(delete.workspaceId()) + 1,
          Optional.of(delete.commandId()),
          Optional.empty(),
          delete.templateVersionId(),
          Transition.DELETE,
          BuildStatus.SUCCEEDED,
          Optional.empty(),
          SYSTEM_USER);
    }
  }

  private void build(
      String presetId,
      String workspaceId,
      int buildNumber,
      Optional<String> commandId,
      Optional<String> claimId,
      String versionId,
      Transition transition,
      BuildStatus status,
      Optional<FailureKind> failureKind,
      String initiator) {
    buildNumbers.put(workspaceId, buildNumber);
    send(
        Topics.BUILDS,
        presetId,
        new BuildCompleted(
            presetId,
            workspaceId,
            workspaceId + "-" + buildNumber,
            buildNumber,
            commandId,
            claimId,
            TEMPLATE,
            versionId,
            ORG,
            transition,
            status,
            failureKind,
            initiator,
            Instant.now()));
  }

  @Override
  public void close() throws Exception {
    stopping.set(true);
    workerThread.join(TimeUnit.SECONDS.toMillis(30));
    shutdown.requestStop();
    serviceThread.join(TimeUnit.SECONDS.toMillis(60));
    shutdown.close();
    producer.close();
  }
}
