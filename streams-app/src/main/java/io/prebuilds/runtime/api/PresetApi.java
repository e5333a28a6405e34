package io.prebuilds.runtime.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.runtime.RuntimeContext;
import io.prebuilds.runtime.http.BearerAuth;
import io.prebuilds.runtime.http.Request;
import io.prebuilds.runtime.http.Response;
import io.prebuilds.topology.PrebuildsTopology;
import io.prebuilds.topology.StoredPreset;

/**
 * The preset API over interactive queries, and the status page on top of it.
 *
 * <ul>
 *   <li>{@code GET /api/v1/presets}: every preset of every instance (scatter-gather over {@code
 *       metadataForAllStreamsClients}); {@code complete} is false when an instance did not answer.
 *   <li>{@code GET /api/v1/presets/{id}} and {@code .../explain}: answered by the instance whose
 *       active task owns the preset, forwarded there otherwise; 503 with {@code Retry-After} while
 *       the owner restores or the group rebalances.
 *   <li>{@code POST /api/v1/reconciliation/pause|resume}, {@code POST
 *       /api/v1/presets/{id}/invalidate|reset|resync}: admin actions, bearer token required; see
 *       {@link AdminActions}.
 * </ul>
 *
 * A forwarded request carries {@link #HOP_HEADER}: an instance answers it from its own stores only
 * and never forwards it again, so instances that briefly disagree about ownership cannot bounce a
 * request between them.
 */
public final class PresetApi {
  private static final Logger log = LoggerFactory.getLogger(PresetApi.class);

  /** Marks a request forwarded by another instance; its value is the forwarding instance. */
  public static final String HOP_HEADER = "X-Prebuilds-Forwarded-By";

  static final String RETRY_AFTER_SECONDS = "2";
  private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Comparator<PresetView> ORDER =
      Comparator.comparing(PresetView::organizationName)
          .thenComparing(PresetView::templateName)
          .thenComparing(PresetView::presetName)
          .thenComparing(PresetView::presetId);

  private final KafkaStreams streams;
  private final LocalState local;
  private final HostInfo self;
  private final HttpClient http;

  PresetApi(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.local = new LocalState(streams);
    this.self = self;
    this.http = HttpClient.newBuilder().connectTimeout(FORWARD_TIMEOUT).build();
  }

  /**
   * Registers the API, the admin actions and the status page on the context's router. The instance
   * is known to others by {@code application.server} (absent: a single instance, every query is
   * local). Closing releases the admin actions' producer.
   */
  public static AutoCloseable install(RuntimeContext context, KafkaStreams streams) {
    var server =
        context.config().streamsProperties().getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
    var self =
        server == null || server.isBlank()
            ? HostInfo.unavailable()
            : HostInfo.buildFromEndpoint(server);
    var api = new PresetApi(streams, self);
    var admin = AdminActions.create(context.config(), context.clock());
    var token = context.config().http().adminToken();
    var router = context.router();
    router.get("/api/v1/presets", api::list);
    router.get(
        "/api/v1/presets/{id}", request -> api.one(request, view -> Response.json(200, view)));
    router.get("/api/v1/presets/{id}/explain", request -> api.one(request, PresetApi::explain));
    router.post("/api/v1/reconciliation/pause", BearerAuth.require(token, admin::pause));
    router.post("/api/v1/reconciliation/resume", BearerAuth.require(token, admin::resume));
    router.post("/api/v1/presets/{id}/invalidate", BearerAuth.require(token, admin::invalidate));
    router.post("/api/v1/presets/{id}/reset", BearerAuth.require(token, admin::reset));
    router.post("/api/v1/presets/{id}/resync", BearerAuth.require(token, admin::resync));
    var page = new StatusPage(api, context.clock());
    router.get("/", page::page);
    router.get("/status/table", page::table);
    return admin;
  }

  /** The presets of every instance (or of this one, for a forwarded request). */
  Response list(Request request) {
    var gathered = gather(request.header(HOP_HEADER).isPresent());
    var body = new LinkedHashMap<String, Object>();
    body.put("presets", gathered.presets());
    body.put("instances", gathered.instances());
    body.put("complete", gathered.complete());
    return Response.json(200, body);
  }

  /** What one instance answered: its presets, or why it could not. */
  record InstanceAnswer(String server, int presets, String error) {}

  /** Every preset found, sorted by organization, template and preset name. */
  record Gathered(List<PresetView> presets, List<InstanceAnswer> instances, boolean complete) {}

  Gathered gather(boolean localOnly) {
    var presets = new ArrayList<PresetView>();
    var instances = new ArrayList<InstanceAnswer>();
    var ownName = name(self);
    var mine = local.presets(true);
    if (mine.isPresent()) {
      mine.get().forEach(stored -> PresetView.of(stored, ownName).ifPresent(presets::add));
      instances.add(new InstanceAnswer(ownName, presets.size(), null));
    } else {
      instances.add(
          new InstanceAnswer(ownName, 0, "stores unavailable (rebalancing or restoring)"));
    }
    if (!localOnly && !self.equals(HostInfo.unavailable())) {
      for (var metadata : streams.metadataForAllStreamsClients()) {
        var host = metadata.hostInfo();
        if (host.equals(self) || host.equals(HostInfo.unavailable())) {
          continue;
        }
        instances.add(fetchRemote(host, presets));
      }
    }
    presets.sort(ORDER);
    var complete = instances.stream().allMatch(answer -> answer.error() == null);
    return new Gathered(presets, instances, complete);
  }

  private InstanceAnswer fetchRemote(HostInfo host, List<PresetView> into) {
    try {
      var response = forward(host, "/api/v1/presets");
      if (response.statusCode() != 200) {
        return new InstanceAnswer(name(host), 0, "answered HTTP " + response.statusCode());
      }
      var remote = JSON.readValue(response.body(), RemoteList.class);
      into.addAll(remote.presets());
      return new InstanceAnswer(name(host), remote.presets().size(), null);
    } catch (IOException e) {
      log.atWarn()
          .addKeyValue("instance", name(host))
          .addKeyValue("error", e.toString())
          .log("instance did not answer the preset list");
      return new InstanceAnswer(name(host), 0, "unreachable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new InstanceAnswer(name(host), 0, "interrupted");
    }
  }

  /** The body of another instance's {@code /api/v1/presets}. */
  record RemoteList(List<PresetView> presets) {
    RemoteList {
      presets = presets == null ? List.of() : List.copyOf(presets);
    }
  }

  /** Answers from the owner of the preset: here, or forwarded once. */
  Response one(Request request, Function<PresetView, Response> answer) {
    var presetId = request.pathParameter("id");
    var forwarded = request.header(HOP_HEADER).isPresent();
    if (!forwarded && !self.equals(HostInfo.unavailable())) {
      KeyQueryMetadata metadata =
          streams.queryMetadataForKey(
              PrebuildsTopology.PRESET_STATE_STORE, presetId, Serdes.String().serializer());
      if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
        return retryLater("the owner of preset " + presetId + " is not known yet (rebalancing)");
      }
      var owner = metadata.activeHost();
      if (!owner.equals(self)) {
        return forwardTo(owner, request.path(), presetId);
      }
    }
    var lookup = local.preset(presetId);
    if (lookup instanceof LocalState.Lookup.Found found) {
      return PresetView.of(found.preset(), name(self))
          .map(answer)
          .orElseGet(() -> notDefined(presetId, found.preset()));
    }
    if (lookup instanceof LocalState.Lookup.Unavailable) {
      return retryLater("the owner of preset " + presetId + " is restoring its state");
    }
    return forwarded && !ownsLocally(presetId)
        ? retryLater("preset " + presetId + " moved while the request was forwarded")
        : Response.error(404, "no preset " + presetId);
  }

  /** Whether this instance's active tasks own the key (false when unsure). */
  private boolean ownsLocally(String presetId) {
    if (self.equals(HostInfo.unavailable())) {
      return true;
    }
    var metadata =
        streams.queryMetadataForKey(
            PrebuildsTopology.PRESET_STATE_STORE, presetId, Serdes.String().serializer());
    return metadata != null && self.equals(metadata.activeHost());
  }

  private static Response notDefined(String presetId, StoredPreset stored) {
    return Response.error(
        404,
        "preset "
            + presetId
            + " is not defined yet; "
            + stored.parked().size()
            + " event(s) wait for its template");
  }

  private Response forwardTo(HostInfo owner, String path, String presetId) {
    try {
      var response = forward(owner, path);
      var result =
          new Response(
              response.statusCode(),
              response.headers().firstValue("Content-Type").orElse("application/json"),
              response.body().getBytes(StandardCharsets.UTF_8),
              Map.of());
      return response
          .headers()
          .firstValue("Retry-After")
          .map(value -> result.withHeader("Retry-After", value))
          .orElse(result);
    } catch (IOException e) {
      return retryLater(
          "the owner of preset " + presetId + " (" + name(owner) + ") did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return retryLater("interrupted while asking the owner of preset " + presetId);
    }
  }

  private HttpResponse<String> forward(HostInfo host, String path)
      throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + path))
            .timeout(FORWARD_TIMEOUT)
            .header(HOP_HEADER, name(self))
            .GET()
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static Response explain(PresetView view) {
    var body = new LinkedHashMap<String, Object>();
    body.put("presetId", view.presetId());
    body.put("status", view.status());
    body.put("quarantineReason", view.quarantineReason());
    body.put("explanation", view.explanation());
    body.put("nextDueAt", view.nextDueAt());
    body.put("updatedAt", view.updatedAt());
    return Response.json(200, body);
  }

  static Response retryLater(String reason) {
    return Response.error(503, reason).withHeader("Retry-After", RETRY_AFTER_SECONDS);
  }

  private static String name(HostInfo host) {
    return host.equals(HostInfo.unavailable()) ? "local" : host.host() + ":" + host.port();
  }
}
