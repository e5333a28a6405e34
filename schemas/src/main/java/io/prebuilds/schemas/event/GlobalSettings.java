package io.prebuilds.schemas.event;

import java.time.Instant;

/**
 * Settings every instance reads (key {@code global}, compacted). While reconciliation is paused no
 * create, delete or cancel is issued; claims and agent reinitialisation still flow.
 */
public record GlobalSettings(boolean reconciliationPaused, String updatedBy, Instant updatedAt)
    implements SettingsEvent {

  @Override
  public String key() {
    return Keys.GLOBAL;
  }
}
