package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The plan of a claim build replaces resources of the prebuild, i.e. the prebuild's work is partly
 * lost: counted and notified to template admins so they can fix the template.
 */
public record PlanDriftDetected(
    String presetId,
    String workspaceId,
    String buildId,
    int buildNumber,
    Optional<String> claimId,
    List<Replacement> replacements,
    Instant detectedAt)
    implements PlanDriftEvent {

  public PlanDriftDetected {
    replacements = List.copyOf(replacements);
  }

  @Override
  public String key() {
    return presetId;
  }
}
