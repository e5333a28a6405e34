package io.prebuilds.topology;

import java.util.Objects;

import io.prebuilds.reconcile.PresetDefinition;

/**
 * What the template fan-out sends to the preset side: a preset's definition as the latest template
 * snapshot has it (keyed by preset), or the news that an organization has presets (keyed {@code
 * org:<id>}, so membership is ensured once per organization, not per preset). Either way it carries
 * the template event that caused it: the trigger of the decision it leads to, so command ids stay
 * deterministic on replay.
 *
 * @param definition the preset's definition; null for an organization record
 * @param organizationId the organization whose presets need the prebuilds user as a member
 * @param historic whether the template event was already in its topic when a rebuild started
 *     ({@link RebuildGate}): the preset side then only rebuilds state from it
 */
record DefinitionUpdate(
    PresetDefinition definition,
    String organizationId,
    String source,
    String eventId,
    boolean historic) {

  DefinitionUpdate {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(eventId, "eventId");
  }

  static DefinitionUpdate of(
      PresetDefinition definition, String source, String eventId, boolean historic) {
    return new DefinitionUpdate(definition, definition.organizationId(), source, eventId, historic);
  }

  static DefinitionUpdate organizationHasPresets(
      String organizationId, String source, String eventId, boolean historic) {
    return new DefinitionUpdate(null, organizationId, source, eventId, historic);
  }

  boolean isOrganization() {
    return definition == null;
  }
}
