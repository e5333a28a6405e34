package io.prebuilds.schemas.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A prebuild was assigned to the claim. The claim workspace command is on its way; {@code
 * lifecycle} holds the settings the workspace gets from its template.
 */
@JsonIgnoreProperties(value = "outcome", allowGetters = true)
public record Claimed(
    String claimId,
    String presetId,
    Instant decidedAt,
    String workspaceId,
    String userId,
    Lifecycle lifecycle)
    implements ClaimResult {

  @JsonProperty("outcome")
  @Override
  public ClaimOutcome outcome() {
    return ClaimOutcome.CLAIMED;
  }
}
