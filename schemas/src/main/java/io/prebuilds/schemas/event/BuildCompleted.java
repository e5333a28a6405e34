package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.Optional;

/**
 * A workspace build finished. Events with a lower {@code buildNumber} than one already seen for the
 * workspace are stale and dropped, so redelivery and reordering are harmless.
 *
 * @param buildNumber the workspace's build sequence number, from 1
 * @param commandId the command that caused the build, when it was ours
 * @param claimId the claim the build serves, for claim builds
 * @param failureKind set when {@code status} is failed
 * @param initiator user id that started the build (the prebuilds system user for our commands)
 */
public record BuildCompleted(
    String presetId,
    String workspaceId,
    String buildId,
    int buildNumber,
    Optional<String> commandId,
    Optional<String> claimId,
    String templateId,
    String templateVersionId,
    String organizationId,
    Transition transition,
    BuildStatus status,
    Optional<FailureKind> failureKind,
    String initiator,
    Instant completedAt)
    implements BuildEvent {

  public BuildCompleted {
    if (buildNumber < 1) {
      throw new IllegalArgumentException("buildNumber must be >= 1: " + buildNumber);
    }
  }

  @Override
  public String key() {
    return presetId;
  }
}
