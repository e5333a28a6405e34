package io.prebuilds.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.prebuilds.schemas.TopicSpec.CleanupPolicy;
import io.prebuilds.schemas.TopicSpec.Direction;
import io.prebuilds.schemas.TopicSpec.KeyKind;
import io.prebuilds.schemas.event.BuildEvent;
import io.prebuilds.schemas.event.ClaimEvent;
import io.prebuilds.schemas.event.ClaimResult;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CommandResultEvent;
import io.prebuilds.schemas.event.ControlEvent;
import io.prebuilds.schemas.event.EventType;
import io.prebuilds.schemas.event.InventoryEvent;
import io.prebuilds.schemas.event.Notification;
import io.prebuilds.schemas.event.PlanDriftEvent;
import io.prebuilds.schemas.event.PresetStateEvent;
import io.prebuilds.schemas.event.SettingsEvent;
import io.prebuilds.schemas.event.TemplateEvent;

/**
 * The topic catalogue, the one place that names topics. Values are at most {@value
 * #EVENT_MAX_BYTES} bytes on every event topic, comfortably above the codec's default limit; the
 * DLQ allows {@value #DLQ_MAX_BYTES} because it carries the original value plus error headers.
 */
public final class Topics {

  /** {@code max.message.bytes} of every event topic. */
  public static final int EVENT_MAX_BYTES = 1024 * 1024;

  /** {@code max.message.bytes} of the DLQ: room for an oversized original plus headers. */
  public static final int DLQ_MAX_BYTES = 4 * 1024 * 1024;

  private static final Optional<Duration> WEEK = Optional.of(Duration.ofDays(7));
  private static final Optional<Duration> KEPT_UNTIL_REPLACED = Optional.empty();

  public static final TopicSpec<TemplateEvent> TEMPLATES =
      new TopicSpec<>(
          "prebuilds.templates.v1",
          KeyKind.TEMPLATE_ID,
          TemplateEvent.class,
          Direction.INPUT,
          CleanupPolicy.COMPACT,
          KEPT_UNTIL_REPLACED,
          EVENT_MAX_BYTES,
          false);

  public static final TopicSpec<BuildEvent> BUILDS =
      presetInput("prebuilds.builds.v1", BuildEvent.class);

  public static final TopicSpec<InventoryEvent> INVENTORY =
      presetInput("prebuilds.inventory.v1", InventoryEvent.class);

  public static final TopicSpec<ClaimEvent> CLAIMS =
      presetInput("prebuilds.claims.v1", ClaimEvent.class);

  public static final TopicSpec<PlanDriftEvent> PLAN_DRIFT =
      presetInput("prebuilds.plan-drift.v1", PlanDriftEvent.class);

  public static final TopicSpec<ControlEvent> CONTROL =
      presetInput("prebuilds.control.v1", ControlEvent.class);

  public static final TopicSpec<SettingsEvent> SETTINGS =
      new TopicSpec<>(
          "prebuilds.settings.v1",
          KeyKind.GLOBAL,
          SettingsEvent.class,
          Direction.INPUT,
          CleanupPolicy.COMPACT,
          KEPT_UNTIL_REPLACED,
          EVENT_MAX_BYTES,
          false);

  public static final TopicSpec<CommandResultEvent> COMMAND_RESULTS =
      new TopicSpec<>(
          "prebuilds.command-results.v1",
          KeyKind.PRESET_ID_OR_ORGANIZATION,
          CommandResultEvent.class,
          Direction.INPUT,
          CleanupPolicy.DELETE,
          WEEK,
          EVENT_MAX_BYTES,
          true);

  public static final TopicSpec<Command> COMMANDS =
      new TopicSpec<>(
          "prebuilds.commands.v1",
          KeyKind.PRESET_ID_OR_ORGANIZATION,
          Command.class,
          Direction.OUTPUT,
          CleanupPolicy.DELETE,
          WEEK,
          EVENT_MAX_BYTES,
          true);

  public static final TopicSpec<ClaimResult> CLAIM_RESULTS =
      new TopicSpec<>(
          "prebuilds.claim-results.v1",
          KeyKind.CLAIM_ID,
          ClaimResult.class,
          Direction.OUTPUT,
          CleanupPolicy.DELETE,
          WEEK,
          EVENT_MAX_BYTES,
          false);

  public static final TopicSpec<Notification> NOTIFICATIONS =
      new TopicSpec<>(
          "prebuilds.notifications.v1",
          KeyKind.NOTIFICATION_ID,
          Notification.class,
          Direction.OUTPUT,
          CleanupPolicy.DELETE,
          WEEK,
          EVENT_MAX_BYTES,
          false);

  public static final TopicSpec<PresetStateEvent> PRESET_STATE =
      new TopicSpec<>(
          "prebuilds.preset-state.v1",
          KeyKind.PRESET_ID,
          PresetStateEvent.class,
          Direction.OUTPUT,
          CleanupPolicy.COMPACT,
          KEPT_UNTIL_REPLACED,
          EVENT_MAX_BYTES,
          true);

  /** Kept for a month so rejected records can be inspected and replayed after an upgrade. */
  public static final TopicSpec<byte[]> DLQ =
      new TopicSpec<>(
          "prebuilds.dlq.v1",
          KeyKind.ORIGINAL_KEY,
          byte[].class,
          Direction.OUTPUT,
          CleanupPolicy.DELETE,
          Optional.of(Duration.ofDays(30)),
          DLQ_MAX_BYTES,
          false);

  private static final List<TopicSpec<?>> ALL =
      List.of(
          TEMPLATES,
          BUILDS,
          INVENTORY,
          CLAIMS,
          PLAN_DRIFT,
          CONTROL,
          SETTINGS,
          COMMAND_RESULTS,
          COMMANDS,
          CLAIM_RESULTS,
          NOTIFICATIONS,
          PRESET_STATE,
          DLQ);

  private Topics() {}

  /** Every topic, inputs first. */
  public static List<TopicSpec<?>> all() {
    return ALL;
  }

  /** The topics the service reads. */
  public static List<TopicSpec<?>> inputs() {
    return ALL.stream().filter(topic -> topic.direction() == Direction.INPUT).toList();
  }

  /** The topics the service writes. */
  public static List<TopicSpec<?>> outputs() {
    return ALL.stream().filter(topic -> topic.direction() == Direction.OUTPUT).toList();
  }

  /** The co-partition group: these topics must all have the configured partition count. */
  public static List<TopicSpec<?>> coPartitioned() {
    return ALL.stream().filter(TopicSpec::coPartitioned).toList();
  }

  public static Optional<TopicSpec<?>> byName(String name) {
    return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
  }

  /** The one topic that carries events of {@code type}. */
  public static TopicSpec<?> carrying(EventType type) {
    return ALL.stream().filter(topic -> topic.carries(type)).findFirst().orElseThrow();
  }

  private static <T> TopicSpec<T> presetInput(String name, Class<T> valueClass) {
    return new TopicSpec<>(
        name,
        KeyKind.PRESET_ID,
        valueClass,
        Direction.INPUT,
        CleanupPolicy.DELETE,
        WEEK,
        EVENT_MAX_BYTES,
        true);
  }
}
