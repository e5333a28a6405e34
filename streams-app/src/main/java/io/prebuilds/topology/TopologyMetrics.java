package io.prebuilds.topology;

/**
 * Events the topology counts for operators. The runtime binds it to Micrometer; tests and {@code
 * simulate} may pass {@link #NONE}. Implementations must be cheap and thread-safe (stream threads
 * call them).
 */
public interface TopologyMetrics {

  TopologyMetrics NONE = new TopologyMetrics() {};

  /** An event with an older build number than the state already has was dropped. */
  default void staleEventDropped(String topic) {}

  /** An event whose (source, id) was already processed was dropped. */
  default void duplicateEventDropped(String topic) {}

  /** An event for an undefined preset waited too long for its definition and was dropped. */
  default void parkedEventExpired(String topic) {}

  /** An input record was sent to the dead-letter topic, with its reason. */
  default void deadLettered(String topic, String reason) {}

  /** A worker reported a command it could not carry out. */
  default void commandRefused(String kind, String outcome) {}

  /** An inventory snapshot differed from our state (adopted, updated, forgotten workspaces). */
  default void inventoryDrift(String presetId, io.prebuilds.reconcile.InventoryDiff diff) {}

  /** Processing a preset threw; it is quarantined and retried with backoff. */
  default void presetQuarantined(String presetId) {}

  /** A command was written to the command topic. */
  default void commandEmitted(String kind) {}

  /** How long a decision took, in nanoseconds. */
  default void decisionNanos(long nanos) {}
}
