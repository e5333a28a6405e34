package io.prebuilds.schemas;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The Jackson configurations of the contract, shared because building a mapper is expensive and it
 * is thread-safe once configured: empty optionals omitted, unknown fields ignored (additive
 * compatibility), instants in the RFC 3339 form we write handled by {@link Rfc3339}.
 *
 * <p>{@link #MAPPER} is the wire format: JSON, times as RFC 3339 strings. {@link #SMILE} is the
 * state-store format ({@link StateSerde}): the same binding in binary Smile, times as epoch
 * milliseconds, and of a record only its components (not derived {@code isX()} getters, which a
 * reader ignores and had to skip), because state is read and written on every event and never
 * leaves the application. Short string values that repeat within a body (a preset's ids, its
 * template version on every prebuild, workspace ids in prebuilds, commands and create attempts) are
 * written once and referred back to, which Smile readers follow whatever their settings.
 */
final class Json {

  static final ObjectMapper MAPPER = configure(JsonMapper.builder()).build();

  static final ObjectMapper SMILE =
      configure(SmileMapper.builder().enable(SmileGenerator.Feature.CHECK_SHARED_STRING_VALUES))
          .addModule(
              new SimpleModule("state")
                  .addSerializer(new EpochMillisSerializer())
                  .setSerializerModifier(new RecordComponentsOnly()))
          .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
          .build();

  private Json() {}

  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
    return builder
        .addModule(new JavaTimeModule())
        .addModule(new Jdk8Module())
        .addModule(
            new SimpleModule("rfc3339")
                .addSerializer(new Rfc3339.Serializer())
                .addDeserializer(Instant.class, new Rfc3339.Deserializer()))
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .serializationInclusion(JsonInclude.Include.NON_ABSENT);
  }

  /**
   * An instant as a number of epoch milliseconds, which Jackson reads back with {@code
   * READ_DATE_TIMESTAMPS_AS_NANOSECONDS} off. An instant with a finer fraction (an event time with
   * microseconds) or beyond the range of a millisecond count stays an RFC 3339 string, so no value
   * loses precision; the reader takes both.
   */
  private static final class EpochMillisSerializer extends StdSerializer<Instant> {

    private static final long MAX_MILLIS_SECONDS = Long.MAX_VALUE / 1_000 - 1;

    EpochMillisSerializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      if (value.getNano() % 1_000_000 == 0
          && Math.abs(value.getEpochSecond()) <= MAX_MILLIS_SECONDS) {
        generator.writeNumber(value.toEpochMilli());
      } else {
        Rfc3339.write(value, generator);
      }
    }
  }

  /**
   * Drops a record's properties that are not record components (derived getters such as {@code
   * isDrained()}): binding ignores them, so writing them only costs on both sides.
   */
  private static final class RecordComponentsOnly extends BeanSerializerModifier {

    @Override
    public List<BeanPropertyWriter> changeProperties(
        SerializationConfig config,
        BeanDescription description,
        List<BeanPropertyWriter> properties) {
      Class<?> type = description.getBeanClass();
      if (!type.isRecord()) {
        return properties;
      }
      Set<String> components =
          Arrays.stream(type.getRecordComponents())
              .map(RecordComponent::getName)
              .collect(Collectors.toSet());
      return new ArrayList<>(
          properties.stream()
              .filter(property -> components.contains(property.getMember().getName()))
              .toList());
    }
  }
}
