package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A preset stopped creating prebuilds: its last builds all failed ({@code hard_limited}) or a build
 * failed validation ({@code validation_failed}). Sent once per episode; a reset starts a new one.
 *
 * @param failedBuilds consecutive failed create builds that led here
 */
@JsonIgnoreProperties(value = "kind", allowGetters = true)
public record FailureLimitReached(
    String notificationId,
    String presetId,
    String templateId,
    String organizationId,
    List<UserRef> recipients,
    Instant createdAt,
    String presetName,
    String templateName,
    String templateVersionId,
    PresetStatus status,
    int failedBuilds)
    implements Notification {

  public FailureLimitReached {
    recipients = List.copyOf(recipients);
    if (status == PresetStatus.NORMAL) {
      throw new IllegalArgumentException("a failure limit notification needs a limited status");
    }
  }

  @JsonProperty("kind")
  @Override
  public NotificationKind kind() {
    return NotificationKind.FAILURE_LIMIT_REACHED;
  }
}
