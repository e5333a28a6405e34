package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The build that hands a claimed prebuild to its user did not succeed: the claim failed (the
 * claim-results topic says {@code claim-failed}) and the workspace is released for cleanup. Tells
 * the claiming user, who has to create a workspace the regular way, and the template admins, whose
 * template failed on a claim. One per failed claim build.
 *
 * @param claimId the claim that failed
 * @param workspaceId the prebuild that was claimed
 * @param userId the user who claimed it
 * @param buildNumber the claim build that did not succeed
 * @param reason a short human-readable explanation
 */
@JsonIgnoreProperties(value = "kind", allowGetters = true)
public record ClaimBuildFailed(
    String notificationId,
    String presetId,
    String templateId,
    String organizationId,
    List<UserRef> recipients,
    Instant createdAt,
    String presetName,
    String templateName,
    String templateVersionId,
    String claimId,
    String workspaceId,
    String userId,
    int buildNumber,
    String reason)
    implements Notification {

  public ClaimBuildFailed {
    recipients = List.copyOf(recipients);
  }

  @JsonProperty("kind")
  @Override
  public NotificationKind kind() {
    return NotificationKind.CLAIM_FAILED;
  }
}
