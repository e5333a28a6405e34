package io.prebuilds.schemas.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** No prebuild can serve the claim; the caller builds a regular workspace instead. */
@JsonIgnoreProperties(value = "outcome", allowGetters = true)
public record NoPrebuildAvailable(
    String claimId, String presetId, Instant decidedAt, NoPrebuildReason reason)
    implements ClaimResult {

  @JsonProperty("outcome")
  @Override
  public ClaimOutcome outcome() {
    return ClaimOutcome.NO_PREBUILD_AVAILABLE;
  }
}
