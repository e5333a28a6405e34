package io.prebuilds.schemas;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

/**
 * RFC 3339 UTC instants ({@code 2025-03-10T09:00:00Z}, {@code 2025-03-10T09:00:00.123Z}) written
 * and read by hand, because every event carries several and {@code java.time}'s general formatter
 * and parser were a visible share of the stream thread's CPU. The hand-written path covers exactly
 * the form we write, with the same output as {@link Instant#toString()}; any other text (an offset,
 * a lower-case {@code t}, a leap second, a five-digit year) is left to {@code java.time}, so what
 * is accepted and how it is read never changes.
 */
final class Rfc3339 {

  /** {@code 0000-01-01T00:00:00Z}: below it {@code java.time} writes a sign. */
  private static final long MIN_SECOND = -62_167_219_200L;

  /** {@code 9999-12-31T23:59:59Z}: above it {@code java.time} writes a sign and five digits. */
  private static final long MAX_SECOND = 253_402_300_799L;

  /** The length of {@code 2025-03-10T09:00:00Z}. */
  private static final int SHORTEST = 20;

  /** The length of {@code 2025-03-10T09:00:00.123456789Z}. */
  static final int LONGEST = 30;

  private Rfc3339() {}

  /**
   * Writes the instant into {@code text} (at least {@value #LONGEST} chars) as {@link
   * Instant#toString()} would, and returns the length; -1 for years outside 0000..9999.
   */
  static int format(Instant instant, char[] text) {
    long epochSecond = instant.getEpochSecond();
    if (epochSecond < MIN_SECOND || epochSecond > MAX_SECOND) {
      return -1;
    }
    LocalDateTime utc = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    digits(text, 0, utc.getYear(), 4);
    text[4] = '-';
    digits(text, 5, utc.getMonthValue(), 2);
    text[7] = '-';
    digits(text, 8, utc.getDayOfMonth(), 2);
    text[10] = 'T';
    digits(text, 11, utc.getHour(), 2);
    text[13] = ':';
    digits(text, 14, utc.getMinute(), 2);
    text[16] = ':';
    digits(text, 17, utc.getSecond(), 2);
    int at = 19;
    int nano = instant.getNano();
    if (nano != 0) {
      text[at++] = '.';
      if (nano % 1_000_000 == 0) {
        digits(text, at, nano / 1_000_000, 3);
        at += 3;
      } else if (nano % 1_000 == 0) {
        digits(text, at, nano / 1_000, 6);
        at += 6;
      } else {
        digits(text, at, nano, 9);
        at += 9;
      }
    }
    text[at++] = 'Z';
    return at;
  }

  /**
   * The instant of {@code text} if it is in the form we write ({@code yyyy-MM-ddTHH:mm:ss}, an
   * optional fraction of 1 to 9 digits, {@code Z}) and a valid date and time; {@code null} for any
   * other text, which the caller hands to {@code java.time}.
   */
  static Instant parseUtc(String text) {
    int length = text.length();
    if (length < SHORTEST
        || length > LONGEST
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(length - 1) != 'Z') {
      return null;
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    if ((year | month | day | hour | minute | second) < 0 || second > 59) {
      return null;
    }
    int nano = 0;
    if (length > SHORTEST) {
      int fraction = length - SHORTEST - 1;
      if (text.charAt(19) != '.' || fraction < 1) {
        return null;
      }
      nano = number(text, 20, fraction);
      if (nano < 0) {
        return null;
      }
      for (int scale = fraction; scale < 9; scale++) {
        nano *= 10;
      }
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nano)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The non-negative decimal of {@code count} ASCII digits at {@code from}, or -1. */
  private static int number(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private static void digits(char[] text, int from, int value, int count) {
    int rest = value;
    for (int i = from + count - 1; i >= from; i--) {
      text[i] = (char) ('0' + rest % 10);
      rest /= 10;
    }
  }

  /** Writes instants as {@link #format}; Jackson's own serializer for the rest. */
  static final class Serializer extends StdSerializer<Instant> {

    Serializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      write(value, generator);
    }
  }

  /** Writes the instant as a string, by {@link #format} where it can (years 0000..9999). */
  static void write(Instant value, JsonGenerator generator) throws IOException {
    char[] text = new char[LONGEST];
    int length = format(value, text);
    if (length < 0) {
      generator.writeString(value.toString());
    } else {
      generator.writeString(text, 0, length);
    }
  }

  /** Reads instants with {@link #parseUtc}; Jackson's own deserializer for everything else. */
  static final class Deserializer extends StdScalarDeserializer<Instant> {

    Deserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      if (parser.hasToken(JsonToken.VALUE_STRING)) {
        Instant fast = parseUtc(parser.getText());
        if (fast != null) {
          return fast;
        }
      }
      return InstantDeserializer.INSTANT.deserialize(parser, context);
    }
  }
}
