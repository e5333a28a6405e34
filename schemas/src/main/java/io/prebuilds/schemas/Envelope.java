package io.prebuilds.schemas;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.prebuilds.schemas.event.Event;

/**
 * A CloudEvents 1.0 event in structured JSON mode, the value of every record on every topic. The
 * {@code type} always matches the data's record, so a consumer can switch on {@code data} alone.
 *
 * @param source URI-reference of the producer, e.g. {@code /provisioners/eu-west-1}
 * @param id unique per source; {@code (source, id)} is the dedupe key
 * @param time when the occurrence happened (RFC 3339, UTC when we write it)
 * @param subject the record key (preset id, template id, claim id, ...)
 * @param datacontenttype {@code application/json} when present
 * @param dataschema the {@code $id} of the data's JSON Schema when present
 */
public record Envelope<T extends Event>(
    String specversion,
    String id,
    String type,
    String source,
    Instant time,
    String subject,
    Optional<String> datacontenttype,
    Optional<String> dataschema,
    T data) {

  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "application/json";

  public Envelope {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(time, "time");
    if (!data.eventType().wire().equals(type)) {
      throw new IllegalArgumentException(
          "envelope type " + type + " does not match data type " + data.eventType().wire());
    }
    requireText(specversion, "specversion");
    requireText(source, "source");
    requireText(id, "id");
  }

  /**
   * An envelope as we publish it: subject is the record key, content type and schema are set.
   *
   * @param id unique per source; derive it deterministically when the event may be re-published
   */
  public static <T extends Event> Envelope<T> of(String source, String id, Instant time, T data) {
    return new Envelope<>(
        SPEC_VERSION,
        id,
        data.eventType().wire(),
        source,
        time,
        data.key(),
        Optional.of(CONTENT_TYPE),
        Optional.of(data.eventType().schemaUri()),
        data);
  }

  /** The dedupe key. */
  public EventId eventId() {
    return new EventId(source, id);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("envelope " + name + " must be a non-empty string");
    }
  }
}
