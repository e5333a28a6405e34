package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's claim on a prebuild: from then on the workspace is theirs, never ours to delete.
 *
 * @param username the claiming user's name, to address them if the claim build fails; empty when
 *     unknown (claims stored before it was kept)
 */
public record Claim(String claimId, String userId, String username, Instant claimedAt) {

  public Claim {
    Objects.requireNonNull(claimId, "claimId");
    Objects.requireNonNull(userId, "userId");
    username = Objects.requireNonNullElse(username, "");
    Objects.requireNonNull(claimedAt, "claimedAt");
  }
}
