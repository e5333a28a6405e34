package io.prebuilds.schemas.event;

/**
 * The {@code data} of an envelope. Every event belongs to exactly one topic family, so a consumer
 * of a topic sees a closed set of types.
 */
public sealed interface Event
    permits TemplateEvent,
        BuildEvent,
        InventoryEvent,
        ClaimEvent,
        PlanDriftEvent,
        ControlEvent,
        SettingsEvent,
        CommandResultEvent,
        Command,
        ClaimResult,
        Notification,
        PresetStateEvent {

  /** The Kafka record key this event is published under (also the envelope's subject). */
  String key();

  /** The CloudEvents type of this event. */
  default EventType eventType() {
    return EventType.of(getClass());
  }
}
