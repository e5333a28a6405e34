package io.prebuilds.schemas;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import io.prebuilds.schemas.event.Event;

/**
 * Kafka serdes for envelopes. The deserializer validates like {@link EventCodec#decode} and throws
 * {@link InvalidEventException} for a rejected value, so Kafka Streams' deserialization exception
 * handler sees the typed error and can send the record to the DLQ. {@code null} (a tombstone) stays
 * {@code null} both ways.
 */
public final class EventSerdes {

  private static final EventCodec DEFAULT_CODEC = EventCodec.create();

  private EventSerdes() {}

  /** The serde for a topic's values, with the default size limit. */
  public static <T extends Event> Serde<Envelope<T>> forTopic(TopicSpec<T> topic) {
    return forTopic(topic, DEFAULT_CODEC);
  }

  /** The serde for a topic's values; the deserializer accepts only the topic's types. */
  public static <T extends Event> Serde<Envelope<T>> forTopic(
      TopicSpec<T> topic, EventCodec codec) {
    Deserializer<Envelope<T>> deserializer =
        (ignoredTopic, bytes) -> bytes == null ? null : codec.decode(topic, bytes).orElseThrow();
    return Serdes.serdeFrom(serializer(codec), deserializer);
  }

  /** A serde for values of any known type (tools that read several topics). */
  public static Serde<Envelope<Event>> anyEvent(EventCodec codec) {
    Deserializer<Envelope<Event>> deserializer =
        (ignoredTopic, bytes) -> bytes == null ? null : codec.decode(bytes).orElseThrow();
    return Serdes.serdeFrom(serializer(codec), deserializer);
  }

  private static <T extends Event> Serializer<Envelope<T>> serializer(EventCodec codec) {
    return (ignoredTopic, envelope) -> envelope == null ? null : codec.encode(envelope);
  }
}
