package io.prebuilds.topology;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonGenerator;

import io.prebuilds.reconcile.Allowance;
import io.prebuilds.reconcile.Claim;
import io.prebuilds.reconcile.CreateAttempt;
import io.prebuilds.reconcile.Departed;
import io.prebuilds.reconcile.InFlightCommand;
import io.prebuilds.reconcile.LifecycleDefaults;
import io.prebuilds.reconcile.Prebuild;
import io.prebuilds.reconcile.PrebuildSchedule;
import io.prebuilds.reconcile.PresetCounters;
import io.prebuilds.reconcile.PresetDefinition;
import io.prebuilds.reconcile.PresetState;
import io.prebuilds.reconcile.TemplateAdmin;
import io.prebuilds.schemas.StateSerde;
import io.prebuilds.schemas.event.PresetSnapshot;

/**
 * Writes a {@link StoredPreset} field by field in the state format, as Jackson's binding would
 * (component names, nulls and empty optionals left out, enums by name except the wire enums of the
 * contract), and Jackson's binding reads it back. Why by hand: the stored preset is written on
 * every event, and under load its write was the largest single cost of the stream thread, most of
 * it Jackson's per-property machinery (docs/benchmarks.md). {@code StoredPresetWriterTest}
 * round-trips a value with every field of every record set, so a component added to one of these
 * records and not written here fails the build instead of vanishing from the store.
 */
final class StoredPresetWriter {

  private StoredPresetWriter() {}

  static void write(StoredPreset value, JsonGenerator out) throws IOException {
    out.writeStartObject();
    if (value.state() != null) {
      out.writeFieldName("state");
      state(value.state(), out);
    }
    instant(out, "dueAt", value.dueAt());
    out.writeBooleanField("published", value.published());
    if (value.snapshot() != null) {
      out.writeFieldName("snapshot");
      snapshot(value.snapshot(), out);
    }
    out.writeArrayFieldStart("parked");
    for (StoredPreset.Parked parked : value.parked()) {
      out.writeStartObject();
      string(out, "topic", parked.topic());
      if (parked.value() != null) {
        out.writeBinaryField("value", parked.value());
      }
      instant(out, "parkedAt", parked.parkedAt());
      out.writeEndObject();
    }
    out.writeEndArray();
    StoredPreset.Quarantine quarantine = value.quarantine();
    if (quarantine != null) {
      out.writeObjectFieldStart("quarantine");
      string(out, "reason", quarantine.reason());
      out.writeNumberField("attempts", quarantine.attempts());
      instant(out, "retryAt", quarantine.retryAt());
      out.writeEndObject();
    }
    instant(out, "drainedAt", value.drainedAt());
    if (value.demand() != null) {
      out.writeNumberField("demand", value.demand());
    }
    out.writeEndObject();
  }

  private static void state(PresetState state, JsonGenerator out) throws IOException {
    out.writeStartObject();
    if (state.definition() != null) {
      out.writeFieldName("definition");
      definition(state.definition(), out);
    }
    if (state.prebuilds() != null) {
      out.writeArrayFieldStart("prebuilds");
      for (Prebuild prebuild : state.prebuilds()) {
        prebuild(prebuild, out);
      }
      out.writeEndArray();
    }
    if (state.commands() != null) {
      out.writeArrayFieldStart("commands");
      for (InFlightCommand command : state.commands()) {
        out.writeStartObject();
        string(out, "commandId", command.commandId());
        enumName(out, "kind", command.kind());
        string(out, "workspaceId", command.workspaceId());
        instant(out, "issuedAt", command.issuedAt());
        out.writeBooleanField("queued", command.queued());
        instant(out, "dispatchedAt", command.dispatchedAt());
        out.writeEndObject();
      }
      out.writeEndArray();
    }
    if (state.createAttempts() != null) {
      out.writeArrayFieldStart("createAttempts");
      for (CreateAttempt attempt : state.createAttempts()) {
        out.writeStartObject();
        string(out, "workspaceId", attempt.workspaceId());
        instant(out, "completedAt", attempt.completedAt());
        enumName(out, "result", attempt.result());
        out.writeEndObject();
      }
      out.writeEndArray();
    }
    enumName(out, "status", state.status());
    out.writeBooleanField("failureNotified", state.failureNotified());
    out.writeBooleanField("paused", state.paused());
    instant(out, "invalidatedAt", state.invalidatedAt());
    PresetCounters counters = state.counters();
    if (counters != null) {
      out.writeObjectFieldStart("counters");
      out.writeNumberField("createdTotal", counters.createdTotal());
      out.writeNumberField("failedTotal", counters.failedTotal());
      out.writeNumberField("claimedTotal", counters.claimedTotal());
      out.writeNumberField("resourceReplacementsTotal", counters.resourceReplacementsTotal());
      out.writeNumberField("timedOutTotal", counters.timedOutTotal());
      out.writeEndObject();
    }
    Allowance allowance = state.allowance();
    if (allowance != null) {
      out.writeObjectFieldStart("allowance");
      out.writeNumberField("prebuilds", allowance.prebuilds());
      out.writeNumberField("cap", allowance.cap());
      out.writeNumberField("presets", allowance.presets());
      out.writeEndObject();
    }
    if (state.departed() != null) {
      out.writeArrayFieldStart("departed");
      for (Departed departed : state.departed()) {
        out.writeStartObject();
        string(out, "workspaceId", departed.workspaceId());
        out.writeNumberField("buildNumber", departed.buildNumber());
        instant(out, "at", departed.at());
        out.writeEndObject();
      }
      out.writeEndArray();
    }
    out.writeEndObject();
  }

  private static void definition(PresetDefinition definition, JsonGenerator out)
      throws IOException {
    out.writeStartObject();
    string(out, "presetId", definition.presetId());
    string(out, "presetName", definition.presetName());
    string(out, "templateId", definition.templateId());
    string(out, "templateName", definition.templateName());
    string(out, "templateVersionId", definition.templateVersionId());
    string(out, "organizationId", definition.organizationId());
    string(out, "organizationName", definition.organizationName());
    out.writeBooleanField("activeVersion", definition.activeVersion());
    out.writeBooleanField("templateDeleted", definition.templateDeleted());
    out.writeBooleanField("templateDeprecated", definition.templateDeprecated());
    out.writeNumberField("desiredInstances", definition.desiredInstances());
    if (definition.schedules() != null) {
      out.writeArrayFieldStart("schedules");
      for (PrebuildSchedule schedule : definition.schedules()) {
        out.writeStartObject();
        string(out, "cron", schedule.cron());
        out.writeNumberField("desiredInstances", schedule.desiredInstances());
        out.writeEndObject();
      }
      out.writeEndArray();
    }
    string(out, "schedulingTimezone", definition.schedulingTimezone());
    duration(out, "ttl", definition.ttl());
    instant(out, "lastInvalidatedAt", definition.lastInvalidatedAt());
    LifecycleDefaults lifecycle = definition.lifecycle();
    if (lifecycle != null) {
      out.writeObjectFieldStart("lifecycle");
      string(out, "autostartSchedule", lifecycle.autostartSchedule());
      duration(out, "autostopTtl", lifecycle.autostopTtl());
      out.writeEndObject();
    }
    if (definition.templateAdmins() != null) {
      out.writeArrayFieldStart("templateAdmins");
      for (TemplateAdmin admin : definition.templateAdmins()) {
        out.writeStartObject();
        string(out, "userId", admin.userId());
        string(out, "username", admin.username());
        out.writeEndObject();
      }
      out.writeEndArray();
    }
    out.writeEndObject();
  }

  private static void prebuild(Prebuild prebuild, JsonGenerator out) throws IOException {
    out.writeStartObject();
    string(out, "workspaceId", prebuild.workspaceId());
    string(out, "workspaceName", prebuild.workspaceName());
    out.writeNumberField("buildNumber", prebuild.buildNumber());
    instant(out, "createdAt", prebuild.createdAt());
    enumName(out, "transition", prebuild.transition());
    enumName(out, "status", prebuild.status());
    string(out, "templateVersionId", prebuild.templateVersionId());
    out.writeBooleanField("agentsReady", prebuild.agentsReady());
    Claim claim = prebuild.claim();
    if (claim != null) {
      out.writeObjectFieldStart("claim");
      string(out, "claimId", claim.claimId());
      string(out, "userId", claim.userId());
      string(out, "username", claim.username());
      instant(out, "claimedAt", claim.claimedAt());
      out.writeEndObject();
    }
    instant(out, "updatedAt", prebuild.updatedAt());
    instant(out, "agentsObservedAt", prebuild.agentsObservedAt());
    out.writeEndObject();
  }

  private static void snapshot(PresetSnapshot snapshot, JsonGenerator out) throws IOException {
    out.writeStartObject();
    string(out, "presetId", snapshot.presetId());
    string(out, "presetName", snapshot.presetName());
    string(out, "templateId", snapshot.templateId());
    string(out, "templateName", snapshot.templateName());
    string(out, "templateVersionId", snapshot.templateVersionId());
    string(out, "organizationId", snapshot.organizationId());
    string(out, "organizationName", snapshot.organizationName());
    out.writeBooleanField("active", snapshot.active());
    if (snapshot.status() != null) {
      out.writeStringField("status", snapshot.status().wire());
    }
    out.writeBooleanField("quarantined", snapshot.quarantined());
    out.writeBooleanField("paused", snapshot.paused());
    out.writeNumberField("desired", snapshot.desired());
    out.writeNumberField("running", snapshot.running());
    out.writeNumberField("eligible", snapshot.eligible());
    out.writeNumberField("starting", snapshot.starting());
    out.writeNumberField("stopping", snapshot.stopping());
    out.writeNumberField("deleting", snapshot.deleting());
    out.writeNumberField("expired", snapshot.expired());
    out.writeNumberField("extraneous", snapshot.extraneous());
    out.writeNumberField("timedOut", snapshot.timedOut());
    instant(out, "backoffUntil", snapshot.backoffUntil());
    instant(out, "nextDueAt", snapshot.nextDueAt());
    PresetSnapshot.Counters counters = snapshot.counters();
    if (counters != null) {
      out.writeObjectFieldStart("counters");
      out.writeNumberField("createdTotal", counters.createdTotal());
      out.writeNumberField("failedTotal", counters.failedTotal());
      out.writeNumberField("claimedTotal", counters.claimedTotal());
      out.writeNumberField("resourceReplacementsTotal", counters.resourceReplacementsTotal());
      out.writeEndObject();
    }
    strings(out, "explanation", snapshot.explanation());
    instant(out, "updatedAt", snapshot.updatedAt());
    out.writeEndObject();
  }

  private static void string(JsonGenerator out, String field, String value) throws IOException {
    if (value != null) {
      out.writeStringField(field, value);
    }
  }

  private static void strings(JsonGenerator out, String field, List<String> values)
      throws IOException {
    if (values != null) {
      out.writeArrayFieldStart(field);
      for (String value : values) {
        out.writeString(value);
      }
      out.writeEndArray();
    }
  }

  private static void enumName(JsonGenerator out, String field, Enum<?> value) throws IOException {
    if (value != null) {
      out.writeStringField(field, value.name());
    }
  }

  private static void instant(JsonGenerator out, String field, Instant value) throws IOException {
    if (value != null) {
      out.writeFieldName(field);
      StateSerde.writeInstant(out, value);
    }
  }

  @SuppressWarnings("OptionalUsedAsFieldOrParameterType")
  private static void instant(JsonGenerator out, String field, Optional<Instant> value)
      throws IOException {
    if (value != null && value.isPresent()) {
      instant(out, field, value.get());
    }
  }

  private static void duration(JsonGenerator out, String field, Duration value) throws IOException {
    if (value != null) {
      out.writeFieldName(field);
      StateSerde.writeDuration(out, value);
    }
  }
}
