package io.prebuilds.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class Rfc3339Test {

  @Test
  void formatsAsInstantToStringDoes() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L));
      for (Instant value :
          List.of(
              instant,
              instant.plusMillis(random.nextInt(1, 1_000)),
              instant.plusNanos(random.nextInt(1, 1_000_000) * 1_000L),
              instant.plusNanos(random.nextInt(1, 1_000_000_000)))) {
        char[] text = new char[Rfc3339.LONGEST];

        int length = Rfc3339.format(value, text);

        assertThat(new String(text, 0, length)).isEqualTo(value.toString());
        assertThat(Rfc3339.parseUtc(value.toString())).isEqualTo(value);
      }
    }
  }

  @Test
  void yearsBeyondFourDigitsAreLeftToJavaTime() {
    char[] text = new char[Rfc3339.LONGEST];

    assertThat(Rfc3339.format(Instant.MAX, text)).isEqualTo(-1);
    assertThat(Rfc3339.format(Instant.parse("-0001-12-31T23:59:59Z"), text)).isEqualTo(-1);
  }

  @Test
  void textOutsideTheFormWeWriteIsLeftToJavaTime() {
    for (String text :
        List.of(
            "2025-03-10T09:00:00+01:00",
            "2025-03-10t09:00:00Z",
            "2025-03-10T09:00:00z",
            "2025-03-10T09:00Z",
            "2025-03-10T09:00:00.Z",
            "2025-03-10T09:00:60Z",
            "2025-02-30T09:00:00Z",
            "2025-13-10T09:00:00Z",
            "2025-03-10T24:00:00Z",
            "2025-03-10T09:00:00.1234567890Z",
            "+2025-03-10T09:00:00Z",
            "2025-03-10 09:00:00Z",
            "2025-0a-10T09:00:00Z",
            " 2025-03-10T09:00:00Z",
            "")) {
      assertThat(Rfc3339.parseUtc(text)).as(text).isNull();
    }
  }

  @Test
  void jsonMapperReadsEveryFormJavaTimeReads() throws Exception {
    for (String text :
        List.of(
            "2025-03-10T09:00:00Z",
            "2025-03-10T09:00:00.5Z",
            "2025-03-10T10:00:00+01:00",
            "2025-03-10t09:00:00Z",
            "2016-12-31T23:59:60Z")) {
      Instant read = Json.MAPPER.readValue("\"" + text + "\"", Instant.class);

      assertThat(read)
          .as(text)
          .isEqualTo(java.time.format.DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from));
    }
  }
}
