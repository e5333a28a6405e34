package io.prebuilds.schemas.event;

/**
 * Record keys that are not a plain id. Commands and results about an organization rather than a
 * preset (membership) are keyed {@code org:<organizationId>}; they share the preset-keyed topics'
 * partitioning, so the prefix keeps them from colliding with preset ids.
 */
public final class Keys {

  /** The key of the settings topic's single record. */
  public static final String GLOBAL = "global";

  private static final String ORGANIZATION_PREFIX = "org:";

  private Keys() {}

  /** The key for records about an organization as a whole. */
  public static String organization(String organizationId) {
    return ORGANIZATION_PREFIX + organizationId;
  }
}
