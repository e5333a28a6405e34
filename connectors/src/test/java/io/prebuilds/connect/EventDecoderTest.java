package io.prebuilds.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.prebuilds.connect.ReadModelChange.ClaimResultInsert;
import io.prebuilds.connect.ReadModelChange.NotificationInsert;
import io.prebuilds.connect.ReadModelChange.PresetStateDeletion;
import io.prebuilds.connect.ReadModelChange.PresetStateUpsert;

class EventDecoderTest {

  private static final ReadModelTopics TOPICS =
      new ReadModelTopics("states", "notifications", "claims");
  private final EventDecoder decoder = new EventDecoder(TOPICS);

  @Test
  void decodesAPresetStateWithItsColumnsAndTheWholeData() {
    ReadModelChange change =
        decoder.decode(
            record("states", "p-1", Events.presetState("p-1", "validation_failed", 3, 2)));

    assertThat(change).isInstanceOf(PresetStateUpsert.class);
    var state = (PresetStateUpsert) change;
    assertThat(state.position()).isEqualTo(new SourcePosition("states", 0, 7));
    assertThat(state.presetId()).isEqualTo("p-1");
    assertThat(state.templateId()).isEqualTo("template-1");
    assertThat(state.organizationId()).isEqualTo("org-1");
    assertThat(state.status()).isEqualTo(PrebuildStatus.VALIDATION_FAILED);
    assertThat(state.desired()).isEqualTo(3);
    assertThat(state.running()).isEqualTo(2);
    assertThat(state.updatedAt()).isEqualTo(OffsetDateTime.parse("2025-01-01T00:00:02Z"));
    assertThat(state.dataJson()).contains("\"explanation\":[\"desired 3, running 2\"]");
  }

  @Test
  void aNullValueOnThePresetStateTopicIsATombstone() {
    assertThat(decoder.decode(record("states", "p-1", null)))
        .isEqualTo(new PresetStateDeletion(new SourcePosition("states", 0, 7), "p-1"));
  }

  @Test
  void acceptsValuesAsBytesAndAsSchemalessMaps() {
    String json = Events.claimed("c-1", "p-1");
    var fromBytes = decoder.decode(record("claims", "c-1", json.getBytes(StandardCharsets.UTF_8)));
    var fromMap = decoder.decode(record("claims", "c-1", parse(json)));

    assertThat(fromBytes).isInstanceOf(ClaimResultInsert.class);
    assertThat(fromMap).isEqualTo(fromBytes);
  }

  @Test
  void decodesNotificationsAndClaimOutcomes() {
    var notification =
        (NotificationInsert)
            decoder.decode(record("notifications", "n-1", Events.notification("n-1", "p-1")));
    var claimed =
        (ClaimResultInsert) decoder.decode(record("claims", "c-1", Events.claimed("c-1", "p-1")));
    var none =
        (ClaimResultInsert)
            decoder.decode(record("claims", "c-2", Events.noPrebuildAvailable("c-2", "p-1")));

    assertThat(notification.kind()).isEqualTo("failure-limit-reached");
    assertThat(notification.recipientsJson())
        .isEqualTo("[{\"userId\":\"u-1\",\"username\":\"admin\"}]");
    assertThat(claimed.outcome()).isEqualTo(ClaimOutcome.CLAIMED);
    assertThat(claimed.workspaceId()).isEqualTo("ws-c-1");
    assertThat(none.outcome()).isEqualTo(ClaimOutcome.NO_PREBUILD_AVAILABLE);
    assertThat(none.reason()).isEqualTo("none-eligible");
  }

  @Test
  void storesAClaimFailedNotificationLikeEveryOtherKind() {
    var notification =
        (NotificationInsert)
            decoder.decode(
                record("notifications", "n-2", Events.claimFailedNotification("n-2", "p-1")));

    assertThat(notification.notificationId()).isEqualTo("n-2");
    assertThat(notification.kind()).isEqualTo("claim-failed");
    assertThat(notification.recipientsJson())
        .isEqualTo(
            "[{\"userId\":\"u-2\",\"username\":\"alice\"},"
                + "{\"userId\":\"u-1\",\"username\":\"admin\"}]");
    assertThat(notification.dataJson()).contains("\"buildNumber\":2");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON                 | claims | c-1 | {\"specversion\":                                   | value is not valid JSON",
        "trailing garbage         | claims | c-1 | {} {}                                                | value is not valid JSON",
        "not an object            | claims | c-1 | [1,2]                                                | not a JSON object",
        "wrong spec version       | claims | c-1 | {\"specversion\":\"0.3\"}                           | specversion must be \"1.0\"",
        "unknown type             | claims | c-1 | {\"specversion\":\"1.0\",\"type\":\"prebuilds.claim.v9\",\"data\":{}} | type \"prebuilds.claim.v9\" is not accepted",
        "no data                  | claims | c-1 | {\"specversion\":\"1.0\",\"type\":\"prebuilds.claim.claimed.v1\"} | data must be a JSON object",
        "no value on claims       | claims | c-1 |                                                      | value is null",
      })
  void rejectsEnvelopesItCannotRead(
      String caseName, String topic, String key, String value, String message) {
    assertThatThrownBy(() -> decoder.decode(record(topic, key, value)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith(topic + "[0]@7 (key '" + key + "'): ")
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "status not in the enum  | \"status\":\"normal\"          | \"status\":\"broken\"       | data.status \"broken\" is not one of normal, hard_limited, validation_failed",
        "missing template        | \"templateId\":\"template-1\", |                             | data.templateId is required",
        "count not a number      | \"desired\":3                  | \"desired\":\"3\"           | data.desired must be a non-negative integer",
        "negative count          | \"running\":2                  | \"running\":-2              | data.running must be a non-negative integer",
        "fractional count        | \"desired\":3                  | \"desired\":2.5             | data.desired must be a non-negative integer",
        "time not RFC 3339       | \"updatedAt\":\"2025-01-01T00:00:02Z\" | \"updatedAt\":\"yesterday\" | data.updatedAt \"yesterday\" is not an RFC 3339 time",
        "active not a boolean    | \"active\":true                | \"active\":\"yes\"          | data.active must be a boolean",
        "key differs from data   | \"presetId\":\"p-1\"           | \"presetId\":\"p-9\"        | data.presetId 'p-9' does not match the record key",
      })
  void rejectsPresetStatesItCannotStoreNamingTheField(
      String caseName, String field, String replacement, String message) {
    String value =
        Events.presetState("p-1", "normal", 3, 2)
            .replace(field, replacement == null ? "" : replacement);

    assertThatThrownBy(() -> decoder.decode(record("states", "p-1", value)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("states[0]@7 (key 'p-1'): " + message);
  }

  @Test
  void aClaimedResultNeedsItsWorkspaceAndAnOutcomeMatchingItsType() {
    String noWorkspace = Events.claimed("c-1", "p-1").replace("\"workspaceId\":\"ws-c-1\",", "");
    String wrongOutcome =
        Events.claimed("c-1", "p-1")
            .replace("\"outcome\":\"claimed\"", "\"outcome\":\"claim-failed\"");

    assertThatThrownBy(() -> decoder.decode(record("claims", "c-1", noWorkspace)))
        .hasMessageContaining("data.workspaceId is required");
    assertThatThrownBy(() -> decoder.decode(record("claims", "c-1", wrongOutcome)))
        .hasMessageContaining(
            "data.outcome \"claim-failed\" does not match type prebuilds.claim.claimed.v1");
  }

  @Test
  void namesTheTopicWhenItIsNoneOfTheReadModelTopics() {
    assertThatThrownBy(() -> decoder.decode(record("other", "k", "{}")))
        .hasMessage(
            "other[0]@7 (key 'k'): topic is none of the configured read-model topics (states, notifications, claims)");
  }

  @Test
  void aTombstoneWithoutAKeyCannotSayWhichPresetIsGone() {
    assertThatThrownBy(() -> decoder.decode(record("states", null, null)))
        .hasMessage("states[0]@7 (no key): a tombstone needs the presetId as its key");
  }

  @Test
  void valuesWithAConnectSchemaAreNotSupported() {
    Struct struct =
        new Struct(SchemaBuilder.struct().field("a", Schema.STRING_SCHEMA).build()).put("a", "x");
    assertThatThrownBy(() -> decoder.decode(record("claims", "c-1", struct)))
        .hasMessageContaining("value of type Struct is not supported");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String json) {
    try {
      return new ObjectMapper().readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SinkRecord record(String topic, String key, Object value) {
    return new SinkRecord(topic, 0, null, key, null, value, 7);
  }
}
