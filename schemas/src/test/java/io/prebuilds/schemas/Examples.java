package io.prebuilds.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.EventType;

/**
 * The realistic example of every event type shipped under {@code examples/}, for tests in any
 * module (they come with the schemas test-jar). Each example is a complete envelope.
 */
public final class Examples {

  private static final EventCodec CODEC = EventCodec.create();

  private Examples() {}

  /** The classpath resource of a type's example. */
  public static String resource(EventType type) {
    return "examples/" + type.wire() + ".json";
  }

  /** The example envelope as JSON bytes. */
  public static byte[] bytes(EventType type) {
    String resource = resource(type);
    try (InputStream in = Examples.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing example " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read example " + resource, e);
    }
  }

  /** The example envelope as JSON text. */
  public static String json(EventType type) {
    return new String(bytes(type), StandardCharsets.UTF_8);
  }

  /** The example, decoded. */
  public static Envelope<Event> envelope(EventType type) {
    return CODEC.decode(bytes(type)).orElseThrow();
  }

  /** The example's data as its record, e.g. {@code Examples.data(BuildCompleted.class)}. */
  public static <T extends Event> T data(Class<T> recordClass) {
    return recordClass.cast(envelope(EventType.of(recordClass)).data());
  }
}
