package io.prebuilds.connect;

/**
 * The statements that write the read model, for one schema. Each is idempotent, so a redelivered
 * record changes nothing:
 *
 * <ul>
 *   <li>{@link #upsertPresetState} replaces a row only with an event at a later offset of the same
 *       partition, and never brings back a preset that a later tombstone deleted;
 *   <li>{@link #deletePresetState} deletes the row unless it holds a later event, and {@link
 *       #recordTombstone} remembers the tombstone's position (both take the same parameters);
 *   <li>notifications and claim results are inserted if absent.
 * </ul>
 */
record ReadModelSql(
    String upsertPresetState,
    String deletePresetState,
    String recordTombstone,
    String insertNotification,
    String insertClaimResult) {

  /**
   * @param schema a validated lower-case identifier (see {@link PostgresSinkConfig})
   */
  static ReadModelSql forSchema(String schema) {
    return new ReadModelSql(
        """
        INSERT INTO %1$s.preset_state AS current (preset_id, preset_name, template_id,
            template_name, template_version_id, organization_id, organization_name, active,
            status, desired, running, eligible, updated_at, data, source_partition, source_offset)
        SELECT ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS %1$s.prebuild_status), ?, ?, ?, ?,
            CAST(? AS jsonb), ?, ?
        WHERE NOT EXISTS (
            SELECT 1 FROM %1$s.preset_state_tombstone t
            WHERE t.preset_id = ? AND NOT (t.source_partition = ? AND t.source_offset < ?))
        ON CONFLICT (preset_id) DO UPDATE SET
            preset_name = EXCLUDED.preset_name,
            template_id = EXCLUDED.template_id,
            template_name = EXCLUDED.template_name,
            template_version_id = EXCLUDED.template_version_id,
            organization_id = EXCLUDED.organization_id,
            organization_name = EXCLUDED.organization_name,
            active = EXCLUDED.active,
            status = EXCLUDED.status,
            desired = EXCLUDED.desired,
            running = EXCLUDED.running,
            eligible = EXCLUDED.eligible,
            updated_at = EXCLUDED.updated_at,
            data = EXCLUDED.data,
            source_partition = EXCLUDED.source_partition,
            source_offset = EXCLUDED.source_offset,
            written_at = now()
        WHERE current.source_partition = EXCLUDED.source_partition
          AND current.source_offset < EXCLUDED.source_offset
        """
            .formatted(schema),
        """
        DELETE FROM %1$s.preset_state
        WHERE preset_id = ? AND source_partition = ? AND source_offset < ?
        """
            .formatted(schema),
        """
        INSERT INTO %1$s.preset_state_tombstone AS current
            (preset_id, source_partition, source_offset)
        VALUES (?, ?, ?)
        ON CONFLICT (preset_id) DO UPDATE SET
            source_partition = EXCLUDED.source_partition,
            source_offset = EXCLUDED.source_offset,
            deleted_at = now()
        WHERE current.source_partition = EXCLUDED.source_partition
          AND current.source_offset < EXCLUDED.source_offset
        """
            .formatted(schema),
        """
        INSERT INTO %1$s.notification (notification_id, event_type, kind, preset_id, template_id,
            organization_id, recipients, created_at, data, source_partition, source_offset)
        VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, CAST(? AS jsonb), ?, ?)
        ON CONFLICT (notification_id) DO NOTHING
        """
            .formatted(schema),
        """
        INSERT INTO %1$s.claim_result (claim_id, event_type, preset_id, outcome, workspace_id,
            user_id, reason, decided_at, data, source_partition, source_offset)
        VALUES (?, ?, ?, CAST(? AS %1$s.claim_outcome), ?, ?, ?, ?, CAST(? AS jsonb), ?, ?)
        ON CONFLICT (claim_id) DO NOTHING
        """
            .formatted(schema));
  }
}
