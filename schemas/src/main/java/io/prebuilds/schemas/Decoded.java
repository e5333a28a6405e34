package io.prebuilds.schemas;

import io.prebuilds.schemas.event.Event;

/** The outcome of decoding a value: a typed envelope or the reason it was rejected. */
public sealed interface Decoded<T extends Event> {

  /**
   * The envelope, or an {@link InvalidEventException} carrying the error (for code paths where a
   * rejection is exceptional, such as Kafka deserializers).
   */
  Envelope<T> orElseThrow();

  /** A valid value. */
  record Accepted<T extends Event>(Envelope<T> envelope) implements Decoded<T> {
    @Override
    public Envelope<T> orElseThrow() {
      return envelope;
    }
  }

  /** A rejected value. */
  record Rejected<T extends Event>(DecodeError error) implements Decoded<T> {
    @Override
    public Envelope<T> orElseThrow() {
      throw new InvalidEventException(error);
    }
  }
}
