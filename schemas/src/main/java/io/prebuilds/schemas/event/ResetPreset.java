package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.Optional;

/**
 * Clear a {@code hard_limited} or {@code validation_failed} status and forget earlier failures
 * (backoff too).
 */
public record ResetPreset(
    String presetId, String requestedBy, Instant requestedAt, Optional<String> reason)
    implements ControlEvent {

  @Override
  public String key() {
    return presetId;
  }
}
