package io.prebuilds.topology;

import java.util.Objects;

import io.prebuilds.reconcile.PresetDefinition;

/**
 * A preset's definition as the latest template snapshot has it, on its way from the template's
 * partition to the preset's, with the template event that caused it (the trigger of the decision it
 * leads to, so command ids stay deterministic on replay).
 */
record DefinitionUpdate(PresetDefinition definition, String source, String eventId) {

  DefinitionUpdate {
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(eventId, "eventId");
  }
}
