package io.prebuilds.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class StateSerdeTest {

  /** A state class as release 1 wrote it. */
  record CounterV1(String presetId, int created) {}

  /** Release 2 renamed {@code created} and added fields. */
  record CounterV2(String presetId, long createdTotal, List<String> notes, Optional<Instant> at) {}

  /** Release 3 added one more required field. */
  record CounterV3(
      String presetId,
      long createdTotal,
      List<String> notes,
      Optional<Instant> at,
      boolean paused) {}

  /** A state record with a derived getter, which Jackson would write as a property. */
  record Pool(String presetId, int desired, int running) {
    public boolean isFull() {
      return running >= desired;
    }
  }

  private static final Serde<CounterV1> V1 = StateSerde.builder(CounterV1.class, 1).build();

  private static Serde<CounterV2> v2() {
    return StateSerde.builder(CounterV2.class, 2)
        .migration(
            1,
            json -> {
              json.set("createdTotal", json.remove("created"));
              json.putArray("notes");
              return json;
            })
        .build();
  }

  private static Serde<CounterV3> v3() {
    return StateSerde.builder(CounterV3.class, 3)
        .migration(
            1,
            json -> {
              json.set("createdTotal", json.remove("created"));
              json.putArray("notes");
              return json;
            })
        .migration(2, json -> json.put("paused", false))
        .build();
  }

  @Test
  void valueRoundTripsAtTheCurrentVersion() {
    CounterV2 value =
        new CounterV2("p1", 7, List.of("a"), Optional.of(Instant.parse("2025-03-10T09:00:00Z")));

    byte[] bytes = v2().serializer().serialize("store-changelog", value);

    assertThat(bytes[0]).isEqualTo((byte) 2);
    assertThat(v2().deserializer().deserialize("store-changelog", bytes)).isEqualTo(value);
  }

  @Test
  void laterReleaseReadsStateAnEarlierOneWrote() {
    byte[] written = V1.serializer().serialize("t", new CounterV1("p1", 5));

    assertThat(v2().deserializer().deserialize("t", written))
        .isEqualTo(new CounterV2("p1", 5, List.of(), Optional.empty()));
  }

  @Test
  void migrationsApplyOneVersionAtATime() {
    byte[] written = V1.serializer().serialize("t", new CounterV1("p1", 5));

    assertThat(v3().deserializer().deserialize("t", written))
        .isEqualTo(new CounterV3("p1", 5, List.of(), Optional.empty(), false));
  }

  @Test
  void stateFromANewerReleaseIsRefusedWithAClearMessage() {
    byte[] written =
        v2().serializer().serialize("t", new CounterV2("p1", 5, List.of(), Optional.empty()));

    assertThatThrownBy(() -> V1.deserializer().deserialize("t", written))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("CounterV1")
        .hasMessageContaining("version 2")
        .hasMessageContaining("newer release");
  }

  @Test
  void missingMigrationIsReportedWhenOldStateIsRead() {
    Serde<CounterV3> onlyFromTwo =
        StateSerde.builder(CounterV3.class, 3)
            .migration(2, json -> json.put("paused", true))
            .build();
    byte[] written = V1.serializer().serialize("t", new CounterV1("p1", 5));

    assertThatThrownBy(() -> onlyFromTwo.deserializer().deserialize("t", written))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("version 1 has no migration to 2");
  }

  @Test
  void bodyIsWrittenInSmile() {
    byte[] bytes = V1.serializer().serialize("t", new CounterV1("p1", 5));

    assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo(":)\n");
  }

  @Test
  void onlyRecordComponentsAreStored() throws Exception {
    Serde<Pool> serde = StateSerde.builder(Pool.class, 1).build();
    Pool pool = new Pool("p1", 2, 2);

    byte[] bytes = serde.serializer().serialize("t", pool);

    assertThat(Json.SMILE.readTree(bytes, 1, bytes.length - 1).has("full")).isFalse();
    assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(pool);
    assertThat(
            serde
                .deserializer()
                .deserialize(
                    "t",
                    json(1, "{\"presetId\":\"p1\",\"desired\":2,\"running\":2,\"full\":true}")))
        .isEqualTo(pool);
  }

  @Test
  void aRepeatedStringValueIsWrittenOnce() {
    String id = "0f8c2d6e-5a4b-4c3d-9e8f-7a6b5c4d3e2f";
    Serde<CounterV2> serde = v2();

    byte[] once =
        serde.serializer().serialize("t", new CounterV2(id, 1, List.of(), Optional.empty()));
    byte[] thrice =
        serde.serializer().serialize("t", new CounterV2(id, 1, List.of(id, id), Optional.empty()));

    assertThat(thrice.length - once.length)
        .as("two back-references and the array, not two more copies")
        .isLessThan(id.length());
    assertThat(serde.deserializer().deserialize("t", thrice).notes()).containsExactly(id, id);
  }

  @Test
  void smileBodyWithoutSharedValuesFromAnEarlierReleaseStillReads() throws Exception {
    String id = "0f8c2d6e-5a4b-4c3d-9e8f-7a6b5c4d3e2f";
    CounterV2 value = new CounterV2(id, 3, List.of(id, id), Optional.empty());
    byte[] body =
        Json.SMILE
            .writer()
            .without(SmileGenerator.Feature.CHECK_SHARED_STRING_VALUES)
            .writeValueAsBytes(value);
    byte[] written = new byte[body.length + 1];
    written[0] = 2;
    System.arraycopy(body, 0, written, 1, body.length);

    assertThat(v2().deserializer().deserialize("t", written)).isEqualTo(value);
  }

  @Test
  void millisecondTimesAreStoredAsEpochMillis() throws Exception {
    Instant at = Instant.parse("2025-03-10T09:00:00.123Z");
    byte[] bytes =
        v2().serializer().serialize("t", new CounterV2("p1", 7, List.of(), Optional.of(at)));

    assertThat(Json.SMILE.readTree(bytes, 1, bytes.length - 1).get("at").asLong())
        .isEqualTo(at.toEpochMilli());
  }

  @Test
  void jsonBodyWrittenBeforeSmileStillReadsAtTheCurrentVersion() {
    byte[] written =
        json(
            2,
            "{\"presetId\":\"p1\",\"createdTotal\":7,\"notes\":[\"a\"],"
                + "\"at\":\"2025-03-10T09:00:00.123456Z\",\"dropped\":true}");

    assertThat(v2().deserializer().deserialize("t", written))
        .isEqualTo(
            new CounterV2(
                "p1", 7, List.of("a"), Optional.of(Instant.parse("2025-03-10T09:00:00.123456Z"))));
  }

  @Test
  void jsonBodyOfAnOlderVersionStillMigrates() {
    byte[] written = json(1, "{\"presetId\":\"p1\",\"created\":5}");

    assertThat(v3().deserializer().deserialize("t", written))
        .isEqualTo(new CounterV3("p1", 5, List.of(), Optional.empty(), false));
  }

  @Test
  void smileBodyOfAnOlderVersionMigrates() {
    byte[] written =
        v2().serializer()
            .serialize(
                "t",
                new CounterV2(
                    "p1", 7, List.of("a"), Optional.of(Instant.parse("2025-03-10T09:00:00Z"))));

    assertThat(new String(written, 1, 3, StandardCharsets.US_ASCII)).isEqualTo(":)\n");
    assertThat(v3().deserializer().deserialize("t", written))
        .isEqualTo(
            new CounterV3(
                "p1", 7, List.of("a"), Optional.of(Instant.parse("2025-03-10T09:00:00Z")), false));
  }

  @Test
  void instantsKeepTheirPrecisionAndRange() {
    for (Instant at :
        List.of(
            Instant.parse("2025-03-10T09:00:00Z"),
            Instant.parse("2025-03-10T09:00:00.123Z"),
            Instant.parse("2025-03-10T09:00:00.123456789Z"),
            Instant.parse("1969-12-31T23:59:59.999Z"),
            Instant.EPOCH,
            Instant.MIN,
            Instant.MAX)) {
      CounterV2 value = new CounterV2("p1", 1, List.of(), Optional.of(at));

      byte[] bytes = v2().serializer().serialize("t", value);

      assertThat(v2().deserializer().deserialize("t", bytes)).as(at.toString()).isEqualTo(value);
    }
  }

  @Test
  void bodyThatIsNeitherSmileNorJsonIsRefused() {
    byte[] garbage = {2, 'x', 'y', 'z', 0};

    assertThatThrownBy(() -> v2().deserializer().deserialize("t", garbage))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot read CounterV2 state of version 2");
  }

  @Test
  void nullStaysNull() {
    assertThat(V1.serializer().serialize("t", null)).isNull();
    assertThat(V1.deserializer().deserialize("t", null)).isNull();
  }

  @Test
  void truncatedStateIsRefused() {
    assertThatThrownBy(() -> V1.deserializer().deserialize("t", new byte[] {1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void migrationsMustLeadToTheCurrentVersion() {
    assertThatThrownBy(() -> StateSerde.builder(CounterV2.class, 2).migration(2, json -> json))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                StateSerde.builder(CounterV2.class, 2)
                    .migration(1, json -> json)
                    .migration(1, json -> json))
        .hasMessageContaining("two migrations");
    assertThatThrownBy(() -> StateSerde.builder(CounterV2.class, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A value as releases before the Smile body wrote it: the version byte, then JSON. */
  private static byte[] json(int version, String body) {
    byte[] json = body.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[json.length + 1];
    bytes[0] = (byte) version;
    System.arraycopy(json, 0, bytes, 1, json.length);
    return bytes;
  }
}
