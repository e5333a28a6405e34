package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.Optional;

/** Reconcile the preset now and re-issue whatever is outstanding. */
public record ResyncPreset(
    String presetId, String requestedBy, Instant requestedAt, Optional<String> reason)
    implements ControlEvent {

  @Override
  public String key() {
    return presetId;
  }
}
