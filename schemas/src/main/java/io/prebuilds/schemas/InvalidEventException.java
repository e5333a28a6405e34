package io.prebuilds.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A value that can never be processed. Thrown by the deserializers so Kafka Streams'
 * deserialization exception handler can route the record to the DLQ with {@link #error()}'s kind as
 * the reason.
 */
public final class InvalidEventException extends SerializationException {

  private final transient DecodeError error;

  public InvalidEventException(DecodeError error) {
    super(error.message());
    this.error = error;
  }

  public DecodeError error() {
    return error;
  }

  /** No stack trace: the message says everything and rejections can be frequent. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
