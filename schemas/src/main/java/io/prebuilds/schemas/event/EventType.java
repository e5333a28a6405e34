package io.prebuilds.schemas.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every CloudEvents {@code type} of the contract with the record it carries. The major version is
 * the {@code .v1} suffix: within a major version only optional fields are added.
 */
public enum EventType {
  TEMPLATE_SNAPSHOT("prebuilds.template.snapshot.v1", TemplateSnapshot.class),
  BUILD_COMPLETED("prebuilds.build.completed.v1", BuildCompleted.class),
  AGENT_STATUS_CHANGED("prebuilds.agent.status-changed.v1", AgentStatusChanged.class),
  INVENTORY_SNAPSHOT("prebuilds.inventory.snapshot.v1", InventorySnapshot.class),
  CLAIM_REQUESTED("prebuilds.claim.requested.v1", ClaimRequested.class),
  PLAN_DRIFT_DETECTED("prebuilds.plan.drift-detected.v1", PlanDriftDetected.class),
  INVALIDATE_PRESET("prebuilds.control.invalidate-preset.v1", InvalidatePreset.class),
  RESET_PRESET("prebuilds.control.reset-preset.v1", ResetPreset.class),
  RESYNC_PRESET("prebuilds.control.resync-preset.v1", ResyncPreset.class),
  GLOBAL_SETTINGS("prebuilds.settings.global.v1", GlobalSettings.class),
  COMMAND_RESULT("prebuilds.command.result.v1", CommandResult.class),
  CAPACITY_ALLOWANCE("prebuilds.admission.allowance.v1", CapacityAllowance.class),
  CREATE_PREBUILD("prebuilds.command.create-prebuild.v1", CreatePrebuild.class),
  DELETE_PREBUILD("prebuilds.command.delete-prebuild.v1", DeletePrebuild.class),
  CANCEL_PENDING("prebuilds.command.cancel-pending.v1", CancelPending.class),
  CLAIM_WORKSPACE("prebuilds.command.claim-workspace.v1", ClaimWorkspace.class),
  REINITIALIZE_AGENT("prebuilds.command.reinitialize-agent.v1", ReinitializeAgent.class),
  ENSURE_MEMBERSHIP("prebuilds.command.ensure-membership.v1", EnsureMembership.class),
  CLAIMED("prebuilds.claim.claimed.v1", Claimed.class),
  NO_PREBUILD_AVAILABLE("prebuilds.claim.no-prebuild-available.v1", NoPrebuildAvailable.class),
  CLAIM_FAILED("prebuilds.claim.failed.v1", ClaimFailed.class),
  FAILURE_LIMIT_REACHED(
      "prebuilds.notification.failure-limit-reached.v1", FailureLimitReached.class),
  RESOURCE_REPLACEMENTS(
      "prebuilds.notification.resource-replacements.v1", ResourceReplacements.class),
  CLAIM_BUILD_FAILED("prebuilds.notification.claim-failed.v1", ClaimBuildFailed.class),
  PRESET_STATE("prebuilds.preset.state.v1", PresetSnapshot.class);

  /** Identifies a schema; not fetched by anyone, the schemas ship in this module's jar. */
  private static final String SCHEMA_BASE = "https://prebuilds.io/schemas/";

  private static final Map<String, EventType> BY_WIRE =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(t -> t.wire, Function.identity()));
  private static final Map<Class<?>, EventType> BY_CLASS =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(t -> t.recordClass, Function.identity()));

  private final String wire;
  private final Class<? extends Event> recordClass;

  EventType(String wire, Class<? extends Event> recordClass) {
    this.wire = wire;
    this.recordClass = recordClass;
  }

  /** The CloudEvents {@code type} attribute, e.g. {@code prebuilds.build.completed.v1}. */
  public String wire() {
    return wire;
  }

  /** The record that {@code data} binds to. */
  public Class<? extends Event> recordClass() {
    return recordClass;
  }

  /** The {@code dataschema} attribute: the {@code $id} of the data's JSON Schema. */
  public String schemaUri() {
    return SCHEMA_BASE + wire + ".json";
  }

  /** Classpath resource of the data's JSON Schema. */
  public String schemaResource() {
    return "schemas/" + wire + ".json";
  }

  /** The type with this exact {@code type} attribute, if this release knows it. */
  public static Optional<EventType> fromWire(String wire) {
    return Optional.ofNullable(BY_WIRE.get(wire));
  }

  /** The type whose data binds to {@code recordClass}. */
  public static EventType of(Class<?> recordClass) {
    EventType type = BY_CLASS.get(recordClass);
    if (type == null) {
      throw new IllegalStateException("no event type for " + recordClass.getName());
    }
    return type;
  }
}
