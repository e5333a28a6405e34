package io.prebuilds.schemas;

/**
 * Identifies one event across redeliveries, as CloudEvents defines it: producers keep {@code id}
 * unique per {@code source}, so consumers dedupe on the pair.
 */
public record EventId(String source, String id) {
  public EventId {
    requireText(source, "source");
    requireText(id, "id");
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("event " + name + " must be a non-empty string");
    }
  }
}
