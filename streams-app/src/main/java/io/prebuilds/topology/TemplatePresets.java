package io.prebuilds.topology;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import io.prebuilds.reconcile.PresetDefinition;

/**
 * The definitions a template's last snapshot produced, by preset id: what lets the fan-out notice a
 * preset that disappeared from the template (its version was removed) or a template that was
 * deleted outright (a tombstone), and send each affected preset an inactive definition so its pool
 * drains.
 */
record TemplatePresets(Map<String, PresetDefinition> definitions) {

  TemplatePresets {
    // Sorted, so the fan-out emits in the same order in every JVM (Map.copyOf's order is not).
    definitions = Collections.unmodifiableSortedMap(new TreeMap<>(definitions));
  }
}
