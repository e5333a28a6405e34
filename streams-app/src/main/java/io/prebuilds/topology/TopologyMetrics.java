package io.prebuilds.topology;

import java.time.Duration;
import java.time.Instant;

import io.prebuilds.reconcile.InventoryDiff;
import io.prebuilds.reconcile.PresetDefinition;

/**
 * Events the topology counts for operators. The runtime binds it to Micrometer; tests and {@code
 * simulate} may pass {@link #NONE}. Implementations must be cheap and thread-safe (stream threads
 * call them).
 */
public interface TopologyMetrics {

  TopologyMetrics NONE = new TopologyMetrics() {};

  /** The trigger label of a decision made for an input event. */
  String EVENT_TRIGGER = "event";

  /** The trigger label of a decision made because the preset's due time fell due. */
  String TIMER_TRIGGER = "timer";

  /** An event with an older build number than the state already has was dropped. */
  default void staleEventDropped(String topic) {}

  /** A build or agent event about a workspace the pool does not hold was ignored. */
  default void unknownWorkspaceEvent(String topic) {}

  /** An event whose (source, id) was already processed was dropped. */
  default void duplicateEventDropped(String topic) {}

  /** An event for an undefined preset waited too long for its definition and was dropped. */
  default void parkedEventExpired(String topic) {}

  /** An input record was sent to the dead-letter topic, with its reason. */
  default void deadLettered(String topic, String reason) {}

  /** A worker reported a command it could not carry out. */
  default void commandRefused(String kind, String outcome) {}

  /** An inventory snapshot differed from our state (adopted, updated, forgotten workspaces). */
  default void inventoryDrift(PresetDefinition preset, InventoryDiff diff) {}

  /** Processing a preset threw; it is quarantined and retried with backoff. */
  default void presetQuarantined(String presetId) {}

  /** A command was written to the command topic. */
  default void commandEmitted(String kind) {}

  /**
   * A create or delete was not answered within the command timeout.
   *
   * @param kind the command kind in lower case ({@code create}, {@code delete})
   */
  default void commandTimedOut(PresetDefinition preset, String kind) {}

  /**
   * A claim was answered for the first time (repeats of a claim id are not counted).
   *
   * @param preset the preset's definition, or null when the preset is unknown
   * @param outcome the claim outcome's wire name
   * @param latency from the request's {@code requestedAt} to the decision
   */
  default void claimAnswered(PresetDefinition preset, String outcome, Duration latency) {}

  /** A notification was written, by its kind's wire name. */
  default void notificationSent(String kind) {}

  /**
   * An organization's admission levels changed (or were looked at): commands queued and dispatched
   * for one priority, and since when the oldest of them waits.
   *
   * @param priority {@code delete} or {@code create}
   * @param oldestQueuedAt when the oldest queued command of this priority was queued; null if none
   */
  default void admissionLevels(
      String organizationId, String priority, int queued, int dispatched, Instant oldestQueuedAt) {}

  /**
   * The admission stage dropped a queued command unsent.
   *
   * @param reason {@code cancelled}, {@code released} or {@code paused}
   */
  default void admissionWithdrawn(String reason) {}

  /**
   * How long a decision took.
   *
   * @param trigger {@link #EVENT_TRIGGER} or {@link #TIMER_TRIGGER}
   */
  default void decisionNanos(String trigger, long nanos) {}

  /**
   * A changed definition was not decided at once: the instance had used its budget of paced
   * decisions ({@link DecisionPacer}), so a tick decides it shortly.
   */
  default void definitionDeferred() {}

  /**
   * After every tick of a task: the earliest due time left in its due index. A time in the past is
   * a timer or deferred decision still waiting (paced, rebuilding, or a stream thread that fell
   * behind), which operators see as the due lag.
   *
   * @param task the Kafka Streams task id, as text
   * @param earliestDueAt the earliest due time, or null when nothing is due or the task closed
   */
  default void earliestDue(String task, Instant earliestDueAt) {}
}
