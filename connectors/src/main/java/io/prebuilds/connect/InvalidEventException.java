package io.prebuilds.connect;

import org.apache.kafka.connect.errors.DataException;

/**
 * A record that can never be written as it is: not JSON, not a known event type, a required field
 * missing or of the wrong type. Connect sends it to the dead-letter queue; the message names the
 * record's position, its key and the field.
 */
final class InvalidEventException extends DataException {

  InvalidEventException(String message) {
    super(message);
  }

  InvalidEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
