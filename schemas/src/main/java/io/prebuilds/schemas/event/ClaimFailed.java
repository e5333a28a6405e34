package io.prebuilds.schemas.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A prebuild was assigned but handing it over failed (the worker refused or failed the claim
 * command); the caller builds a regular workspace instead.
 *
 * @param reason a short human-readable explanation
 */
@JsonIgnoreProperties(value = "outcome", allowGetters = true)
public record ClaimFailed(String claimId, String presetId, Instant decidedAt, String reason)
    implements ClaimResult {

  @JsonProperty("outcome")
  @Override
  public ClaimOutcome outcome() {
    return ClaimOutcome.CLAIM_FAILED;
  }
}
