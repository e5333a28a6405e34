package io.prebuilds.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.prebuilds.schemas.DecodeError.Kind;
import io.prebuilds.schemas.event.BuildEvent;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.EventType;

class EventSerdesTest {

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyExampleRoundTripsThroughItsTopicSerde(EventType type) {
    TopicSpec<?> topic = Topics.carrying(type);

    Envelope<?> read = roundTrip(topic, Examples.bytes(type));

    assertThat(read).isEqualTo(Examples.envelope(type));
  }

  private static <T extends Event> Envelope<T> roundTrip(TopicSpec<?> anyTopic, byte[] bytes) {
    @SuppressWarnings("unchecked")
    TopicSpec<T> topic = (TopicSpec<T>) anyTopic;
    Serde<Envelope<T>> serde = EventSerdes.forTopic(topic);
    Envelope<T> first = serde.deserializer().deserialize(topic.name(), bytes);
    byte[] written = serde.serializer().serialize(topic.name(), first);
    return serde.deserializer().deserialize(topic.name(), written);
  }

  @Test
  void tombstonesStayNull() {
    Serde<Envelope<BuildEvent>> serde = EventSerdes.forTopic(Topics.BUILDS);

    assertThat(serde.serializer().serialize(Topics.BUILDS.name(), null)).isNull();
    assertThat(serde.deserializer().deserialize(Topics.BUILDS.name(), null)).isNull();
  }

  @Test
  void rejectedValueThrowsTheTypedErrorForTheDeadLetterQueue() {
    Serde<Envelope<BuildEvent>> serde = EventSerdes.forTopic(Topics.BUILDS);
    byte[] claim = Examples.bytes(EventType.CLAIM_REQUESTED);

    assertThatThrownBy(() -> serde.deserializer().deserialize(Topics.BUILDS.name(), claim))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> {
              assertThat(e.error().kind()).isEqualTo(Kind.UNKNOWN_TYPE);
              assertThat(e.getMessage()).isEqualTo(e.error().message());
              assertThat(e.getStackTrace()).isEmpty();
            });
  }

  @Test
  void topicSerdeUsesTheGivenCodecLimit() {
    Serde<Envelope<BuildEvent>> serde =
        EventSerdes.forTopic(Topics.BUILDS, EventCodec.withMaxBytes(100));
    byte[] build = Examples.bytes(EventType.BUILD_COMPLETED);

    assertThatThrownBy(() -> serde.deserializer().deserialize(Topics.BUILDS.name(), build))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.error().kind()).isEqualTo(Kind.OVERSIZED));
  }

  @Test
  void anyEventSerdeReadsEveryType() {
    Serde<Envelope<Event>> serde = EventSerdes.anyEvent(EventCodec.create());

    for (EventType type : EventType.values()) {
      assertThat(serde.deserializer().deserialize("any", Examples.bytes(type)).data())
          .isInstanceOf(type.recordClass());
    }
    assertThatThrownBy(
            () -> serde.deserializer().deserialize("any", "x".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidEventException.class);
  }
}
