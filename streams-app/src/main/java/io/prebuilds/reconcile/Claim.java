package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/** A user's claim on a prebuild: from then on the workspace is theirs, never ours to delete. */
public record Claim(String claimId, String userId, Instant claimedAt) {

  public Claim {
    Objects.requireNonNull(claimId, "claimId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(claimedAt, "claimedAt");
  }
}
