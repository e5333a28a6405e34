package io.prebuilds.schemas.event;

import java.time.Instant;

/**
 * A user asks for a prebuilt workspace of a preset. Answered on {@code prebuilds.claim-results.v1}
 * under the same {@code claimId}; a request processed after its {@code deadline} is never honoured
 * (the caller has already fallen back to a regular build).
 */
public record ClaimRequested(
    String claimId,
    String presetId,
    String organizationId,
    String userId,
    String username,
    String workspaceName,
    Instant requestedAt,
    Instant deadline)
    implements ClaimEvent {

  @Override
  public String key() {
    return presetId;
  }
}
