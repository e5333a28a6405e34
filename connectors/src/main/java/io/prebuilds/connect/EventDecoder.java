package io.prebuilds.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.kafka.connect.sink.SinkRecord;

import io.prebuilds.connect.ReadModelChange.ClaimResultInsert;
import io.prebuilds.connect.ReadModelChange.NotificationInsert;
import io.prebuilds.connect.ReadModelChange.PresetStateDeletion;
import io.prebuilds.connect.ReadModelChange.PresetStateUpsert;

/**
 * Turns a record of one of the three read-model topics into a {@link ReadModelChange}. Values are
 * CloudEvents 1.0 structured-mode JSON envelopes, read generically as a tree so that fields added
 * within v1 are kept (in {@code data}) without a code change. Anything the tables cannot hold is
 * rejected with an {@link InvalidEventException} naming the field; nothing here touches the
 * database.
 */
final class EventDecoder {

  static final String PRESET_STATE_TYPE = "prebuilds.preset.state.v1";
  static final Set<String> NOTIFICATION_TYPES =
      Set.of(
          "prebuilds.notification.failure-limit-reached.v1",
          "prebuilds.notification.resource-replacements.v1",
          "prebuilds.notification.claim-failed.v1");

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  private final ReadModelTopics topics;

  EventDecoder(ReadModelTopics topics) {
    this.topics = topics;
  }

  ReadModelChange decode(SinkRecord record) {
    var position =
        new SourcePosition(
            record.originalTopic(), record.originalKafkaPartition(), record.originalKafkaOffset());
    var source = new Source(position, keyOf(position, record.key()));
    String topic = position.topic();
    if (topic.equals(topics.presetState())) {
      return presetState(source, record.value());
    }
    if (topic.equals(topics.notifications())) {
      return notification(source, envelope(source, record.value(), NOTIFICATION_TYPES));
    }
    if (topic.equals(topics.claimResults())) {
      return claimResult(source, envelope(source, record.value(), claimTypes()));
    }
    throw source.invalid(
        "topic is none of the configured read-model topics ("
            + String.join(", ", topics.presetState(), topics.notifications(), topics.claimResults())
            + ")");
  }

  private ReadModelChange presetState(Source source, Object value) {
    if (value == null) {
      if (source.key() == null) {
        throw source.invalid("a tombstone needs the presetId as its key");
      }
      return new PresetStateDeletion(source.position(), source.key());
    }
    Envelope event = envelope(source, value, Set.of(PRESET_STATE_TYPE));
    JsonNode data = event.data();
    String presetId = source.requireKeyMatches("presetId", source.text(data, "presetId", true));
    String status = source.text(data, "status", true);
    return new PresetStateUpsert(
        source.position(),
        presetId,
        source.text(data, "presetName", false),
        source.text(data, "templateId", true),
        source.text(data, "templateName", false),
        source.text(data, "templateVersionId", false),
        source.text(data, "organizationId", true),
        source.text(data, "organizationName", false),
        source.bool(data, "active"),
        PrebuildStatus.fromLabel(status)
            .orElseThrow(
                () ->
                    source.invalid(
                        "data.status \""
                            + status
                            + "\" is not one of normal, hard_limited, validation_failed")),
        source.count(data, "desired"),
        source.count(data, "running"),
        source.count(data, "eligible"),
        source.time(data, "updatedAt"),
        data.toString());
  }

  private NotificationInsert notification(Source source, Envelope event) {
    JsonNode data = event.data();
    JsonNode recipients = data.get("recipients");
    if (recipients == null || !recipients.isArray()) {
      throw source.invalid("data.recipients must be an array");
    }
    return new NotificationInsert(
        source.position(),
        source.requireKeyMatches("notificationId", source.text(data, "notificationId", true)),
        event.type(),
        source.text(data, "kind", true),
        source.text(data, "presetId", true),
        source.text(data, "templateId", true),
        source.text(data, "organizationId", true),
        recipients.toString(),
        source.time(data, "createdAt"),
        data.toString());
  }

  private ClaimResultInsert claimResult(Source source, Envelope event) {
    JsonNode data = event.data();
    ClaimOutcome outcome = ClaimOutcome.fromEventType(event.type()).orElseThrow();
    String label = source.text(data, "outcome", true);
    if (!label.equals(outcome.label())) {
      throw source.invalid("data.outcome \"" + label + "\" does not match type " + event.type());
    }
    boolean claimed = outcome == ClaimOutcome.CLAIMED;
    return new ClaimResultInsert(
        source.position(),
        source.requireKeyMatches("claimId", source.text(data, "claimId", true)),
        event.type(),
        source.text(data, "presetId", true),
        outcome,
        source.text(data, "workspaceId", claimed),
        source.text(data, "userId", claimed),
        source.text(data, "reason", !claimed),
        source.time(data, "decidedAt"),
        data.toString());
  }

  private static Set<String> claimTypes() {
    return Set.of(
        ClaimOutcome.CLAIMED.eventType(),
        ClaimOutcome.NO_PREBUILD_AVAILABLE.eventType(),
        ClaimOutcome.CLAIM_FAILED.eventType());
  }

  private static Envelope envelope(Source source, Object value, Set<String> acceptedTypes) {
    JsonNode root = parse(source, value);
    if (!root.isObject()) {
      throw source.invalid("value is not a JSON object (a CloudEvents envelope)");
    }
    JsonNode specVersion = root.get("specversion");
    if (specVersion == null || !"1.0".equals(specVersion.asText())) {
      throw source.invalid("specversion must be \"1.0\"");
    }
    JsonNode type = root.get("type");
    if (type == null || !type.isTextual() || !acceptedTypes.contains(type.asText())) {
      throw source.invalid(
          "type "
              + (type == null ? "is missing" : type + " is not accepted")
              + "; this topic carries "
              + String.join(", ", acceptedTypes.stream().sorted().toList()));
    }
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) {
      throw source.invalid("data must be a JSON object");
    }
    return new Envelope(type.asText(), data);
  }

  private static JsonNode parse(Source source, Object value) {
    try {
      if (value instanceof String text) {
        return JSON.readTree(text);
      }
      if (value instanceof byte[] bytes) {
        return JSON.readTree(bytes);
      }
      if (value instanceof Map<?, ?> map) {
        return JSON.valueToTree(map);
      }
    } catch (JsonProcessingException e) {
      throw source.invalid("value is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw source.invalid("value could not be read: " + e.getMessage(), e);
    }
    if (value == null) {
      throw source.invalid("value is null, but events on this topic are never deleted");
    }
    throw source.invalid(
        "value of type "
            + value.getClass().getSimpleName()
            + " is not supported; use StringConverter, ByteArrayConverter or JsonConverter"
            + " with schemas.enable=false");
  }

  private static String keyOf(SourcePosition position, Object key) {
    if (key == null || key instanceof String) {
      return (String) key;
    }
    if (key instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    throw new InvalidEventException(
        position
            + ": key of type "
            + key.getClass().getSimpleName()
            + " is not supported; use StringConverter or ByteArrayConverter for keys");
  }

  private record Envelope(String type, JsonNode data) {}

  /** The record being decoded, so every message names where it came from and its key. */
  private record Source(SourcePosition position, String key) {

    InvalidEventException invalid(String problem) {
      return new InvalidEventException(prefix() + problem);
    }

    InvalidEventException invalid(String problem, Throwable cause) {
      return new InvalidEventException(prefix() + problem, cause);
    }

    private String prefix() {
      return position + (key == null ? " (no key)" : " (key '" + key + "')") + ": ";
    }

    String requireKeyMatches(String field, String id) {
      if (key != null && !key.equals(id)) {
        throw invalid("data." + field + " '" + id + "' does not match the record key");
      }
      return id;
    }

    String text(JsonNode data, String field, boolean required) {
      JsonNode node = data.get(field);
      if (node == null || node.isNull()) {
        if (required) {
          throw invalid("data." + field + " is required");
        }
        return null;
      }
      if (!node.isTextual()) {
        throw invalid("data." + field + " must be a string, not " + node.getNodeType());
      }
      if (required && node.asText().isEmpty()) {
        throw invalid("data." + field + " must not be empty");
      }
      return node.asText();
    }

    Boolean bool(JsonNode data, String field) {
      JsonNode node = data.get(field);
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isBoolean()) {
        throw invalid("data." + field + " must be a boolean, not " + node.getNodeType());
      }
      return node.booleanValue();
    }

    int count(JsonNode data, String field) {
      JsonNode node = data.get(field);
      if (node == null || node.isNull()) {
        throw invalid("data." + field + " is required");
      }
      if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
        throw invalid("data." + field + " must be a non-negative integer, not " + node);
      }
      return node.intValue();
    }

    OffsetDateTime time(JsonNode data, String field) {
      String text = text(data, field, true);
      try {
        return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw invalid("data." + field + " \"" + text + "\" is not an RFC 3339 time", e);
      }
    }
  }
}
