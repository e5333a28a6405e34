package io.prebuilds.connect;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * One change to the read model, decoded from one Kafka record. Every change keeps the record's
 * position (the preset-state guard compares it; it is stored for audits) and knows the statements
 * of {@link ReadModelSql} that apply it, all bound with the same parameters.
 */
sealed interface ReadModelChange {

  SourcePosition position();

  /**
   * The statements that apply this change, in order. The first one's update count says whether the
   * change altered the read model.
   */
  List<String> statements(ReadModelSql sql);

  /** Binds this change's values to any of its {@link #statements}. */
  void bind(PreparedStatement statement) throws SQLException;

  /** The preset whose state this change replaces or deletes; empty for immutable events. */
  default Optional<String> presetStateOf() {
    return Optional.empty();
  }

  /** The latest state of a preset replaces the row, unless the row holds a later event. */
  record PresetStateUpsert(
      SourcePosition position,
      String presetId,
      String presetName,
      String templateId,
      String templateName,
      String templateVersionId,
      String organizationId,
      String organizationName,
      Boolean active,
      PrebuildStatus status,
      int desired,
      int running,
      int eligible,
      OffsetDateTime updatedAt,
      String dataJson)
      implements ReadModelChange {

    @Override
    public List<String> statements(ReadModelSql sql) {
      return List.of(sql.upsertPresetState());
    }

    @Override
    public void bind(PreparedStatement statement) throws SQLException {
      statement.setString(1, presetId);
      statement.setString(2, presetName);
      statement.setString(3, templateId);
      statement.setString(4, templateName);
      statement.setString(5, templateVersionId);
      statement.setString(6, organizationId);
      statement.setString(7, organizationName);
      if (active == null) {
        statement.setNull(8, Types.BOOLEAN);
      } else {
        statement.setBoolean(8, active);
      }
      statement.setString(9, status.label());
      statement.setInt(10, desired);
      statement.setInt(11, running);
      statement.setInt(12, eligible);
      statement.setObject(13, updatedAt);
      statement.setString(14, dataJson);
      statement.setInt(15, position.partition());
      statement.setLong(16, position.offset());
      statement.setString(17, presetId);
      statement.setInt(18, position.partition());
      statement.setLong(19, position.offset());
    }

    @Override
    public Optional<String> presetStateOf() {
      return Optional.of(presetId);
    }
  }

  /** A tombstone: the preset is gone; its row is deleted and the deletion remembered. */
  record PresetStateDeletion(SourcePosition position, String presetId) implements ReadModelChange {

    @Override
    public List<String> statements(ReadModelSql sql) {
      return List.of(sql.deletePresetState(), sql.recordTombstone());
    }

    @Override
    public void bind(PreparedStatement statement) throws SQLException {
      statement.setString(1, presetId);
      statement.setInt(2, position.partition());
      statement.setLong(3, position.offset());
    }

    @Override
    public Optional<String> presetStateOf() {
      return Optional.of(presetId);
    }
  }

  /** A notification, written once by its id. */
  record NotificationInsert(
      SourcePosition position,
      String notificationId,
      String eventType,
      String kind,
      String presetId,
      String templateId,
      String organizationId,
      String recipientsJson,
      OffsetDateTime createdAt,
      String dataJson)
      implements ReadModelChange {

    @Override
    public List<String> statements(ReadModelSql sql) {
      return List.of(sql.insertNotification());
    }

    @Override
    public void bind(PreparedStatement statement) throws SQLException {
      statement.setString(1, notificationId);
      statement.setString(2, eventType);
      statement.setString(3, kind);
      statement.setString(4, presetId);
      statement.setString(5, templateId);
      statement.setString(6, organizationId);
      statement.setString(7, recipientsJson);
      statement.setObject(8, createdAt);
      statement.setString(9, dataJson);
      statement.setInt(10, position.partition());
      statement.setLong(11, position.offset());
    }
  }

  /** A claim's outcome, written once by its claim id. */
  record ClaimResultInsert(
      SourcePosition position,
      String claimId,
      String eventType,
      String presetId,
      ClaimOutcome outcome,
      String workspaceId,
      String userId,
      String reason,
      OffsetDateTime decidedAt,
      String dataJson)
      implements ReadModelChange {

    @Override
    public List<String> statements(ReadModelSql sql) {
      return List.of(sql.insertClaimResult());
    }

    @Override
    public void bind(PreparedStatement statement) throws SQLException {
      statement.setString(1, claimId);
      statement.setString(2, eventType);
      statement.setString(3, presetId);
      statement.setString(4, outcome.label());
      statement.setString(5, workspaceId);
      statement.setString(6, userId);
      statement.setString(7, reason);
      statement.setObject(8, decidedAt);
      statement.setString(9, dataJson);
      statement.setInt(10, position.partition());
      statement.setLong(11, position.offset());
    }
  }
}
