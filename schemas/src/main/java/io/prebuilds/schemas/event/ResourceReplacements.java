package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A claim build replaced resources of the prebuild it claimed, so the template does not keep its
 * prebuilds stable; lists every replaced resource with the paths that forced it.
 */
@JsonIgnoreProperties(value = "kind", allowGetters = true)
public record ResourceReplacements(
    String notificationId,
    String presetId,
    String templateId,
    String organizationId,
    List<UserRef> recipients,
    Instant createdAt,
    String presetName,
    String templateName,
    String templateVersionId,
    String workspaceId,
    String buildId,
    Optional<String> claimId,
    List<Replacement> replacements)
    implements Notification {

  public ResourceReplacements {
    recipients = List.copyOf(recipients);
    replacements = List.copyOf(replacements);
  }

  @JsonProperty("kind")
  @Override
  public NotificationKind kind() {
    return NotificationKind.RESOURCE_REPLACEMENTS;
  }
}
