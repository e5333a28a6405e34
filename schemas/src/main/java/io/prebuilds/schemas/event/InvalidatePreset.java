package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.Optional;

/**
 * Expire every current prebuild of the preset (they are replaced), as Coder's preset invalidation.
 */
public record InvalidatePreset(
    String presetId, String requestedBy, Instant requestedAt, Optional<String> reason)
    implements ControlEvent {

  @Override
  public String key() {
    return presetId;
  }
}
