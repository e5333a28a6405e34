package io.prebuilds.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.prebuilds.schemas.DecodeError.Kind;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildEvent;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.EventType;

class EventCodecTest {

  private final EventCodec codec = EventCodec.create();

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyExampleDecodesToItsRecordAndRoundTripsUnchanged(EventType type) throws Exception {
    Decoded<Event> decoded = codec.decode(Examples.bytes(type));

    assertThat(decoded).isInstanceOf(Decoded.Accepted.class);
    Envelope<Event> envelope = decoded.orElseThrow();
    assertThat(envelope.data()).isInstanceOf(type.recordClass());
    assertThat(envelope.type()).isEqualTo(type.wire());
    assertThat(envelope.subject()).isEqualTo(envelope.data().key());
    assertThat(tree(codec.encode(envelope))).isEqualTo(tree(Examples.bytes(type)));
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void envelopeOfSetsSubjectContentTypeAndSchema(EventType type) throws Exception {
    Envelope<Event> example = Examples.envelope(type);

    Envelope<Event> built =
        Envelope.of(example.source(), example.id(), example.time(), example.data());

    assertThat(built).isEqualTo(example);
  }

  static Stream<Arguments> requiredDataFields() {
    List<Arguments> cases = new ArrayList<>();
    for (EventType type : EventType.values()) {
      JsonNode schema = SchemaCatalog.read(type.schemaResource());
      schema.get("required").forEach(field -> cases.add(Arguments.of(type, field.asText())));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} without {1}")
  @MethodSource("requiredDataFields")
  void missingRequiredDataFieldIsRejectedNamingIt(EventType type, String field) throws Exception {
    ObjectNode envelope = example(type);
    ((ObjectNode) envelope.get("data")).remove(field);

    DecodeError error = rejected(envelope);

    assertThat(error.kind()).isEqualTo(Kind.SCHEMA_INVALID);
    assertThat(error.pointer()).isEqualTo("/data/" + field);
    assertThat(error.message()).contains("/data/" + field).contains("required");
  }

  @ParameterizedTest(name = "{0} with a wrong-typed {1}")
  @MethodSource("requiredDataFields")
  void wrongTypedDataFieldIsRejectedNamingIt(EventType type, String field) throws Exception {
    ObjectNode envelope = example(type);
    ObjectNode data = (ObjectNode) envelope.get("data");
    data.set(field, wrongTypeFor(data.get(field)));

    DecodeError error = rejected(envelope);

    assertThat(error.kind()).isEqualTo(Kind.SCHEMA_INVALID);
    assertThat(error.pointer()).isEqualTo("/data/" + field);
    assertThat(error.message()).startsWith("/data/" + field + ": ");
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void unknownFieldsAreAccepted(EventType type) throws Exception {
    ObjectNode envelope = example(type);
    ((ObjectNode) envelope.get("data")).put("addedInALaterMinorRelease", "x");
    envelope.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    Decoded<Event> decoded = codec.decode(bytes(envelope));

    assertThat(decoded.orElseThrow()).isEqualTo(Examples.envelope(type));
  }

  @Test
  void explicitNullForAnOptionalFieldMeansAbsent() throws Exception {
    ObjectNode envelope = example(EventType.BUILD_COMPLETED);
    envelope.putNull("dataschema");
    ((ObjectNode) envelope.get("data")).putNull("commandId");

    Envelope<Event> decoded = codec.decode(bytes(envelope)).orElseThrow();

    assertThat(decoded.dataschema()).isEmpty();
    assertThat(((BuildCompleted) decoded.data()).commandId()).isEmpty();
  }

  @Test
  void timesWithAnOffsetAreReadAsTheSameInstant() throws Exception {
    ObjectNode envelope = example(EventType.BUILD_COMPLETED);
    envelope.put("time", "2025-03-10T10:04:12+01:00");
    ((ObjectNode) envelope.get("data")).put("completedAt", "2025-03-10T10:04:11+01:00");

    Envelope<Event> decoded = codec.decode(bytes(envelope)).orElseThrow();

    assertThat(decoded).isEqualTo(Examples.envelope(EventType.BUILD_COMPLETED));
  }

  @Test
  void unknownTypeIsRejected() throws Exception {
    ObjectNode envelope = example(EventType.BUILD_COMPLETED);
    envelope.put("type", "prebuilds.build.exploded.v1");

    DecodeError error = rejected(envelope);

    assertThat(error.kind()).isEqualTo(Kind.UNKNOWN_TYPE);
    assertThat(error.pointer()).isEqualTo("/type");
    assertThat(error.message()).contains("prebuilds.build.exploded.v1");
  }

  @Test
  void newerMajorVersionIsRejectedAsUnsupported() throws Exception {
    ObjectNode envelope = example(EventType.BUILD_COMPLETED);
    envelope.put("type", "prebuilds.build.completed.v2");
    ((ObjectNode) envelope.get("data")).remove("buildNumber");

    DecodeError error = rejected(envelope);

    assertThat(error.kind()).isEqualTo(Kind.UNSUPPORTED_VERSION);
    assertThat(error.message())
        .contains("prebuilds.build.completed.v2")
        .contains("prebuilds.build.completed.v1");
  }

  @Test
  void typeFromAnotherTopicIsRejectedOnThisTopic() {
    Decoded<BuildEvent> decoded =
        codec.decode(Topics.BUILDS, Examples.bytes(EventType.CLAIM_REQUESTED));

    assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
    DecodeError error = ((Decoded.Rejected<BuildEvent>) decoded).error();
    assertThat(error.kind()).isEqualTo(Kind.UNKNOWN_TYPE);
    assertThat(error.message())
        .contains("prebuilds.builds.v1")
        .contains("prebuilds.claim.requested.v1");
  }

  @Test
  void topicDecodeIsTypedByTheTopicFamily() {
    BuildEvent event =
        codec.decode(Topics.BUILDS, Examples.bytes(EventType.BUILD_COMPLETED)).orElseThrow().data();

    assertThat(event).isInstanceOf(BuildCompleted.class);
  }

  static Stream<Arguments> badEnvelopes() {
    return Stream.of(
        Arguments.of("id", null, "/id"),
        Arguments.of("source", null, "/source"),
        Arguments.of("time", null, "/time"),
        Arguments.of("subject", null, "/subject"),
        Arguments.of("data", null, "/data"),
        Arguments.of("specversion", "0.3", "/specversion"),
        Arguments.of("time", "yesterday", "/time"),
        Arguments.of("id", "", "/id"),
        Arguments.of("datacontenttype", "application/xml", "/datacontenttype"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("badEnvelopes")
  void badEnvelopeIsRejectedNamingTheAttribute(String attribute, String value, String pointer)
      throws Exception {
    ObjectNode envelope = example(EventType.BUILD_COMPLETED);
    if (value == null) {
      envelope.remove(attribute);
    } else {
      envelope.put(attribute, value);
    }

    DecodeError error = rejected(envelope);

    assertThat(error.kind()).isEqualTo(Kind.SCHEMA_INVALID);
    assertThat(error.pointer()).isEqualTo(pointer);
    assertThat(error.message()).contains(pointer);
  }

  @Test
  void outOfRangeValueIsRejectedNamingTheField() throws Exception {
    ObjectNode envelope = example(EventType.BUILD_COMPLETED);
    ((ObjectNode) envelope.get("data")).put("buildNumber", 0);

    DecodeError error = rejected(envelope);

    assertThat(error.pointer()).isEqualTo("/data/buildNumber");
    assertThat(error.message()).startsWith("/data/buildNumber: ").contains("1");
  }

  @Test
  void badTimestampIsRejectedSayingWhatIsExpected() throws Exception {
    ObjectNode envelope = example(EventType.BUILD_COMPLETED);
    ((ObjectNode) envelope.get("data")).put("completedAt", "2025-03-10 09:04");

    DecodeError error = rejected(envelope);

    assertThat(error.message())
        .isEqualTo(
            "/data/completedAt: is not a valid date-time (RFC 3339, e.g. 2025-03-10T09:00:00Z)");
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() throws Exception {
    ObjectNode envelope = example(EventType.BUILD_COMPLETED);
    ObjectNode data = (ObjectNode) envelope.get("data");
    data.remove("workspaceId");
    data.put("buildNumber", -3);

    DecodeError error = rejected(envelope);

    assertThat(error.message())
        .contains("/data/workspaceId: is required but missing")
        .contains("/data/buildNumber: ");
  }

  @Test
  void commandResultNeedsAPresetOrAnOrganization() throws Exception {
    ObjectNode envelope = example(EventType.COMMAND_RESULT);
    ((ObjectNode) envelope.get("data")).remove(List.of("presetId", "organizationId"));

    DecodeError error = rejected(envelope);

    assertThat(error.message()).contains("/data/presetId").contains("/data/organizationId");
  }

  @Test
  void valueNotInEnumIsRejectedNamingTheField() throws Exception {
    ObjectNode envelope = example(EventType.BUILD_COMPLETED);
    ((ObjectNode) envelope.get("data")).put("status", "exploded");

    DecodeError error = rejected(envelope);

    assertThat(error.pointer()).isEqualTo("/data/status");
  }

  @Test
  void nestedFieldErrorNamesTheFullPointer() throws Exception {
    ObjectNode envelope = example(EventType.TEMPLATE_SNAPSHOT);
    ObjectNode preset = (ObjectNode) envelope.at("/data/versions/1/presets/0");
    preset.put("desiredInstances", -1);

    DecodeError error = rejected(envelope);

    assertThat(error.pointer()).isEqualTo("/data/versions/1/presets/0/desiredInstances");
  }

  @Test
  void valueLargerThanTheLimitIsRejectedWithoutParsing() {
    EventCodec small = EventCodec.withMaxBytes(64);

    Decoded<Event> decoded = small.decode(Examples.bytes(EventType.BUILD_COMPLETED));

    DecodeError error = ((Decoded.Rejected<Event>) decoded).error();
    assertThat(error.kind()).isEqualTo(Kind.OVERSIZED);
    assertThat(error.message()).contains("64");
  }

  @Test
  void defaultLimitIs512KibAndBelowTheTopicLimit() {
    assertThat(EventCodec.create().maxBytes()).isEqualTo(512 * 1024);
    assertThat(EventCodec.DEFAULT_MAX_BYTES).isLessThan(Topics.EVENT_MAX_BYTES);
  }

  @Test
  void oversizedDefaultIsEnforced() throws Exception {
    ObjectNode envelope = example(EventType.BUILD_COMPLETED);
    ((ObjectNode) envelope.get("data")).put("padding", "x".repeat(EventCodec.DEFAULT_MAX_BYTES));

    assertThat(rejected(envelope).kind()).isEqualTo(Kind.OVERSIZED);
  }

  static Stream<Arguments> notJson() {
    return Stream.of(
        Arguments.of("{\"specversion\": \"1.0\", "),
        Arguments.of("<xml/>"),
        Arguments.of(""),
        Arguments.of("{} trailing"));
  }

  @ParameterizedTest
  @MethodSource("notJson")
  void garbageIsRejectedAsNotJson(String value) {
    Decoded<Event> decoded = codec.decode(value.getBytes(StandardCharsets.UTF_8));

    DecodeError error = ((Decoded.Rejected<Event>) decoded).error();
    assertThat(error.kind()).isEqualTo(Kind.NOT_JSON);
    assertThat(error.message()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void jsonThatIsNotAnObjectIsRejected() {
    Decoded<Event> decoded = codec.decode("[1,2]".getBytes(StandardCharsets.UTF_8));

    assertThat(((Decoded.Rejected<Event>) decoded).error().kind()).isEqualTo(Kind.SCHEMA_INVALID);
  }

  @Test
  void rejectionThrowsATypedExceptionWhenAskedTo() {
    Decoded<Event> decoded = codec.decode("nope".getBytes(StandardCharsets.UTF_8));

    org.assertj.core.api.Assertions.assertThatThrownBy(decoded::orElseThrow)
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.error().kind()).isEqualTo(Kind.NOT_JSON));
  }

  private DecodeError rejected(JsonNode envelope) throws Exception {
    Decoded<Event> decoded = codec.decode(bytes(envelope));
    assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
    return ((Decoded.Rejected<Event>) decoded).error();
  }

  private static JsonNode wrongTypeFor(JsonNode value) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (value.isTextual()) {
      return nodes.numberNode(42);
    }
    if (value.isNumber()) {
      return nodes.textNode("42");
    }
    if (value.isBoolean()) {
      return nodes.textNode("yes");
    }
    if (value.isArray()) {
      return nodes.objectNode();
    }
    return nodes.arrayNode();
  }

  static ObjectNode example(EventType type) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(Examples.bytes(type));
  }

  static byte[] bytes(JsonNode node) throws Exception {
    return Json.MAPPER.writeValueAsBytes(node);
  }

  private static JsonNode tree(byte[] bytes) throws Exception {
    return Json.MAPPER.readTree(bytes);
  }
}
