package io.prebuilds.topology;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.apache.kafka.common.serialization.Serde;

import io.prebuilds.schemas.StateSerde;
import io.prebuilds.schemas.event.CommandKind;

/**
 * What the preset reconciler tells the admission stage, on the {@code admission} repartition topic
 * keyed {@code org:<organizationId>} (see {@code docs/backpressure.md}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AdmissionRecord.Request.class, name = "request"),
  @JsonSubTypes.Type(value = AdmissionRecord.Release.class, name = "release"),
  @JsonSubTypes.Type(value = AdmissionRecord.Demand.class, name = "demand")
})
sealed interface AdmissionRecord {

  Serde<AdmissionRecord> SERDE = StateSerde.builder(AdmissionRecord.class, 1).build();

  String presetId();

  /**
   * A create, delete or cancel the reconciler decided on, to be dispatched when the organization's
   * budget allows (cancels at once).
   *
   * @param commandKey the key the command is written under on the command topic (the preset id)
   * @param command the command's encoded envelope, exactly the bytes a worker will read
   * @param cancels for a cancel, the create command ids it cancels; empty otherwise
   */
  record Request(
      String commandId,
      String presetId,
      CommandKind kind,
      String commandKey,
      byte[] command,
      List<String> cancels,
      Instant issuedAt)
      implements AdmissionRecord {

    public Request {
      Objects.requireNonNull(commandId, "commandId");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(command, "command");
      cancels = cancels == null ? List.of() : List.copyOf(cancels);
    }
  }

  /**
   * The command left the preset's in-flight set (answered, timed out, cancelled, gone from the
   * inventory): its slot is free, or, if it is still queued, it is withdrawn unsent.
   */
  record Release(String commandId, String presetId) implements AdmissionRecord {}

  /**
   * The preset's desired count changed (0 when it became inactive or wants none): the stage shares
   * its organization's capacity cap anew. Sent only for organizations with a cap.
   */
  record Demand(String presetId, int desired) implements AdmissionRecord {}
}
