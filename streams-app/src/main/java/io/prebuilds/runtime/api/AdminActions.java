package io.prebuilds.runtime.api;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.http.Request;
import io.prebuilds.runtime.http.Response;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.ControlEvent;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.GlobalSettings;
import io.prebuilds.schemas.event.InvalidatePreset;
import io.prebuilds.schemas.event.ResetPreset;
import io.prebuilds.schemas.event.ResyncPreset;

/**
 * Operator actions, turned into events on the topics the topology reads: pause and resume write the
 * global setting ({@code prebuilds.settings.v1}, key {@code global}); invalidate, reset and resync
 * write a control event for the preset ({@code prebuilds.control.v1}, key = preset id). The HTTP
 * answer (202) comes once the broker acknowledged the event, so a 202 is never lost; the effect
 * follows as soon as the preset's owner processes it.
 *
 * <p>The optional JSON body {@code {"reason": "...", "requestedBy": "..."}} is carried in the event
 * (requestedBy defaults to {@code admin-api}). Routes are guarded by the bearer token where they
 * are registered ({@link PresetApi#install}).
 */
final class AdminActions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminActions.class);
  static final String SOURCE = "/prebuilds-streams/admin-api";
  private static final String DEFAULT_REQUESTER = "admin-api";
  private static final long SEND_TIMEOUT_SECONDS = 15;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Producer<String, byte[]> producer;
  private final Clock clock;
  private final EventCodec codec = EventCodec.create();

  AdminActions(Producer<String, byte[]> producer, Clock clock) {
    this.producer = producer;
    this.clock = clock;
  }

  /** A producer with the app's Kafka settings (bootstrap, security), idempotent. */
  static AdminActions create(AppConfig config, Clock clock) {
    var settings =
        new StreamsConfig(config.streamsProperties()).getProducerConfigs("prebuilds-admin-api");
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    settings.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    return new AdminActions(
        new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer()), clock);
  }

  Response pause(Request request) {
    return settings(request, true);
  }

  Response resume(Request request) {
    return settings(request, false);
  }

  Response invalidate(Request request) {
    return control(request, "invalidate", InvalidatePreset::new);
  }

  Response reset(Request request) {
    return control(request, "reset", ResetPreset::new);
  }

  Response resync(Request request) {
    return control(request, "resync", ResyncPreset::new);
  }

  /** The constructor shared by the control events. */
  @FunctionalInterface
  private interface ControlFactory {
    ControlEvent create(
        String presetId, String requestedBy, Instant requestedAt, Optional<String> reason);
  }

  private Response settings(Request request, boolean paused) {
    var body = body(request);
    if (body.error() != null) {
      return Response.error(400, body.error());
    }
    var event = new GlobalSettings(paused, body.requestedBy(), clock.instant());
    return send(Topics.SETTINGS.name(), event, paused ? "pause" : "resume");
  }

  private Response control(Request request, String action, ControlFactory factory) {
    var body = body(request);
    if (body.error() != null) {
      return Response.error(400, body.error());
    }
    var event =
        factory.create(
            request.pathParameter("id"), body.requestedBy(), clock.instant(), body.reason());
    return send(Topics.CONTROL.name(), event, action);
  }

  private Response send(String topic, Event event, String action) {
    var id = UUID.randomUUID().toString();
    var envelope = Envelope.of(SOURCE, id, clock.instant(), event);
    try {
      var metadata =
          producer
              .send(new ProducerRecord<>(topic, event.key(), codec.encode(envelope)))
              .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      log.atInfo()
          .addKeyValue("action", action)
          .addKeyValue("key", event.key())
          .addKeyValue("eventId", id)
          .log("admin action accepted");
      var answer = new LinkedHashMap<String, Object>();
      answer.put("action", action);
      answer.put("key", event.key());
      answer.put("topic", topic);
      answer.put("eventId", id);
      answer.put("offset", metadata.offset());
      return Response.json(202, answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return PresetApi.retryLater("interrupted while writing the " + action + " event");
    } catch (ExecutionException | TimeoutException e) {
      log.atWarn()
          .addKeyValue("action", action)
          .addKeyValue("topic", topic)
          .setCause(e)
          .log("admin action could not be written");
      return PresetApi.retryLater("could not write the " + action + " event to " + topic);
    }
  }

  /** The optional body: who asks and why. */
  private record Body(String requestedBy, Optional<String> reason, String error) {}

  private static Body body(Request request) {
    var raw = request.body();
    if (raw.length == 0) {
      return new Body(DEFAULT_REQUESTER, Optional.empty(), null);
    }
    try {
      JsonNode node = JSON.readTree(raw);
      if (node == null || !node.isObject()) {
        return new Body(null, Optional.empty(), "the body must be a JSON object");
      }
      var requestedBy = node.path("requestedBy").asText(DEFAULT_REQUESTER);
      var reason = node.path("reason");
      return new Body(
          requestedBy.isBlank() ? DEFAULT_REQUESTER : requestedBy,
          reason.isTextual() ? Optional.of(reason.asText()) : Optional.empty(),
          null);
    } catch (IOException e) {
      return new Body(null, Optional.empty(), "the body is not valid JSON: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
