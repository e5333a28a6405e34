package io.prebuilds.schemas;

/**
 * Why a value was rejected, for logs, DLQ headers and API replies. The message names the field (as
 * a JSON pointer) and what is wrong with it, never a stack trace.
 *
 * @param pointer JSON pointer of the offending field, empty for the whole value
 * @param message human-readable, starts with the pointer when there is one
 */
public record DecodeError(Kind kind, String pointer, String message) {

  /** The reasons a value can be rejected; their names go to the DLQ reason header. */
  public enum Kind {
    /** Larger than the configured limit; not parsed at all. */
    OVERSIZED,
    /** Not parseable JSON. */
    NOT_JSON,
    /** A type this release does not know, or one that does not belong on the topic. */
    UNKNOWN_TYPE,
    /** A known type with a different major version, e.g. {@code .v2}; replay after an upgrade. */
    UNSUPPORTED_VERSION,
    /** The envelope or the data do not match their JSON Schema. */
    SCHEMA_INVALID
  }
}
