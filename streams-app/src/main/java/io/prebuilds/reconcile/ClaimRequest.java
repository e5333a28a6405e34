package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * A user asks for a ready workspace of the preset.
 *
 * @param workspaceName the name the claimed workspace takes
 * @param deadline after this instant the claim is never honoured (the user has moved on)
 */
public record ClaimRequest(
    String claimId, String userId, String username, String workspaceName, Instant deadline) {

  public ClaimRequest {
    Objects.requireNonNull(claimId, "claimId");
    Objects.requireNonNull(userId, "userId");
    username = Objects.requireNonNullElse(username, "");
    workspaceName = Objects.requireNonNullElse(workspaceName, "");
    Objects.requireNonNull(deadline, "deadline");
  }
}
