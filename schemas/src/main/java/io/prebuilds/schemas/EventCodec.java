package io.prebuilds.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;

import io.prebuilds.schemas.DecodeError.Kind;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.EventType;

/**
 * Turns bytes into validated, typed envelopes and back. Decoding never throws for bad input: it
 * returns a {@link DecodeError} naming what is wrong and where (a JSON pointer). Validation is
 * against the compiled JSON Schemas shipped in this module, so producers in any language can
 * validate with the same files; unknown fields are accepted (additive compatibility).
 *
 * <p>Instances are immutable and thread-safe; the schemas and the JSON mapper are shared.
 */
public final class EventCodec {

  /** The default size limit, well below every topic's {@code max.message.bytes}. */
  public static final int DEFAULT_MAX_BYTES = 512 * 1024;

  private static final Pattern VERSIONED_TYPE = Pattern.compile("^(.+)\\.v(\\d+)$");
  private static final int MAX_REPORTED_ERRORS = 5;

  /**
   * A reader per data record, so binding skips the per-call lookup of the record's deserializer.
   */
  private static final Map<EventType, ObjectReader> READERS = readers();

  private final int maxBytes;
  private final SchemaCatalog schemas;

  private EventCodec(int maxBytes) {
    if (maxBytes < 1 || maxBytes > Topics.EVENT_MAX_BYTES) {
      throw new IllegalArgumentException(
          "maxBytes must be between 1 and the topic limit "
              + Topics.EVENT_MAX_BYTES
              + ", got "
              + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.schemas = SchemaCatalog.get();
  }

  /** A codec with the default size limit of {@value #DEFAULT_MAX_BYTES} bytes. */
  public static EventCodec create() {
    return new EventCodec(DEFAULT_MAX_BYTES);
  }

  /** A codec that rejects values larger than {@code maxBytes} (at most the topic limit). */
  public static EventCodec withMaxBytes(int maxBytes) {
    return new EventCodec(maxBytes);
  }

  public int maxBytes() {
    return maxBytes;
  }

  /** Decodes a value of any known type. */
  public Decoded<Event> decode(byte[] bytes) {
    return decode(bytes, Event.class, Optional.empty());
  }

  /** Decodes a value read from {@code topic}; types that do not belong there are rejected. */
  public <T extends Event> Decoded<T> decode(TopicSpec<T> topic, byte[] bytes) {
    return decode(bytes, topic.valueClass(), Optional.of(topic));
  }

  /** The JSON bytes of an envelope, in the form {@link #decode} accepts. */
  public byte[] encode(Envelope<?> envelope) {
    try {
      return Json.MAPPER.writeValueAsBytes(envelope);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(
          "cannot serialize " + envelope.type() + " " + envelope.id(), e);
    }
  }

  private <T extends Event> Decoded<T> decode(
      byte[] bytes, Class<T> family, Optional<TopicSpec<T>> topic) {
    if (bytes.length > maxBytes) {
      return reject(
          Kind.OVERSIZED, "", "value is " + bytes.length + " bytes, over the limit of " + maxBytes);
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      return reject(Kind.NOT_JSON, "", "value is not JSON: " + e.getOriginalMessage() + at(e));
    } catch (IOException e) {
      return reject(Kind.NOT_JSON, "", "value is not JSON: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      return reject(Kind.NOT_JSON, "", "value is empty, expected a JSON object");
    }
    JsonNode typeNode = root.path("type");
    if (typeNode.isTextual()) {
      Optional<DecodeError> typeError = checkType(typeNode.asText(), topic);
      if (typeError.isPresent()) {
        return new Decoded.Rejected<>(typeError.get());
      }
    }
    Optional<DecodeError> envelopeError = validate(schemas.envelope(), root, "");
    if (envelopeError.isPresent()) {
      return new Decoded.Rejected<>(envelopeError.get());
    }
    EventType type = EventType.fromWire(typeNode.asText()).orElseThrow();
    Optional<DecodeError> dataError = validate(schemas.data(type), root.get("data"), "/data");
    if (dataError.isPresent()) {
      return new Decoded.Rejected<>(dataError.get());
    }
    return bind(root, type, family);
  }

  private static <T extends Event> Optional<DecodeError> checkType(
      String wire, Optional<TopicSpec<T>> topic) {
    Optional<EventType> known = EventType.fromWire(wire);
    if (known.isEmpty()) {
      return Optional.of(unknownOrUnsupported(wire));
    }
    if (topic.isPresent() && !topic.get().carries(known.get())) {
      return Optional.of(
          new DecodeError(
              Kind.UNKNOWN_TYPE,
              "/type",
              "/type: '"
                  + wire
                  + "' does not belong on topic "
                  + topic.get().name()
                  + ", which carries "
                  + topic.get().valueTypes().stream()
                      .map(EventType::wire)
                      .collect(Collectors.joining(", "))));
    }
    return Optional.empty();
  }

  private static DecodeError unknownOrUnsupported(String wire) {
    Matcher versioned = VERSIONED_TYPE.matcher(wire);
    if (versioned.matches()) {
      String base = versioned.group(1);
      List<String> readable =
          Arrays.stream(EventType.values())
              .map(EventType::wire)
              .filter(known -> known.startsWith(base + ".v"))
              .toList();
      if (!readable.isEmpty()) {
        return new DecodeError(
            Kind.UNSUPPORTED_VERSION,
            "/type",
            "/type: '"
                + wire
                + "' is a version this release cannot read (it reads "
                + String.join(", ", readable)
                + ")");
      }
    }
    return new DecodeError(Kind.UNKNOWN_TYPE, "/type", "/type: unknown event type '" + wire + "'");
  }

  private static Optional<DecodeError> validate(Schema schema, JsonNode node, String prefix) {
    List<Error> errors = schema.validate(node);
    if (errors.isEmpty()) {
      return Optional.empty();
    }
    List<String> pointers = errors.stream().map(error -> prefix + pointer(error)).toList();
    String message =
        errors.stream()
            .limit(MAX_REPORTED_ERRORS)
            .map(error -> describe(prefix + pointer(error), error))
            .collect(Collectors.joining("; "));
    if (errors.size() > MAX_REPORTED_ERRORS) {
      message += "; and " + (errors.size() - MAX_REPORTED_ERRORS) + " more";
    }
    return Optional.of(new DecodeError(Kind.SCHEMA_INVALID, pointers.get(0), message));
  }

  /** The pointer of the offending field; for a missing property, the property itself. */
  private static String pointer(Error error) {
    String location = error.getInstanceLocation().toString();
    if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
      return location + "/" + error.getProperty();
    }
    return location;
  }

  private static String describe(String pointer, Error error) {
    String where = pointer.isEmpty() ? "(value)" : pointer;
    if ("required".equals(error.getKeyword())) {
      return where + ": is required but missing";
    }
    if ("format".equals(error.getKeyword()) && error.getSchemaNode() != null) {
      String format = error.getSchemaNode().asText();
      return where
          + ": is not a valid "
          + format
          + ("date-time".equals(format) ? " (RFC 3339, e.g. 2025-03-10T09:00:00Z)" : "");
    }
    return where + ": " + error.getMessage();
  }

  private <T extends Event> Decoded<T> bind(JsonNode root, EventType type, Class<T> family) {
    Instant time;
    try {
      time = time(root.get("time").asText());
    } catch (DateTimeParseException e) {
      return reject(Kind.SCHEMA_INVALID, "/time", "/time: is not an RFC 3339 date-time");
    }
    T data;
    try {
      data = family.cast(READERS.get(type).readValue(root.get("data")));
    } catch (JsonMappingException e) {
      String pointer = "/data" + pointer(e);
      return reject(Kind.SCHEMA_INVALID, pointer, pointer + ": " + reason(e));
    } catch (IOException | IllegalArgumentException e) {
      return reject(Kind.SCHEMA_INVALID, "/data", "/data: " + e.getMessage());
    }
    return new Decoded.Accepted<>(
        new Envelope<>(
            root.get("specversion").asText(),
            root.get("id").asText(),
            type.wire(),
            root.get("source").asText(),
            time,
            root.get("subject").asText(),
            text(root, "datacontenttype"),
            text(root, "dataschema"),
            data));
  }

  /** The envelope's time: the UTC form we write by hand, any other offset through java.time. */
  private static Instant time(String text) {
    Instant utc = Rfc3339.parseUtc(text);
    return utc != null ? utc : OffsetDateTime.parse(text).toInstant();
  }

  private static Optional<String> text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
  }

  private static String pointer(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? "/" + ref.getFieldName() : "/" + ref.getIndex())
        .collect(Collectors.joining());
  }

  private static String reason(JsonMappingException e) {
    if (e instanceof ValueInstantiationException && e.getCause() != null) {
      return e.getCause().getMessage();
    }
    return e.getOriginalMessage();
  }

  private static String at(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private static Map<EventType, ObjectReader> readers() {
    Map<EventType, ObjectReader> readers = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      readers.put(type, Json.MAPPER.readerFor(type.recordClass()));
    }
    return readers;
  }

  private static <T extends Event> Decoded<T> reject(Kind kind, String pointer, String message) {
    return new Decoded.Rejected<>(new DecodeError(kind, pointer, message));
  }
}
