package io.prebuilds.simulation;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of a scenario: either the virtual clock moves, or an event is piped in at the current
 * virtual time. The JSONL format is a public interface (docs/scenarios.md); keep it stable.
 */
public sealed interface ScenarioStep {

  /** The 1-based line of the scenario file, for error messages. */
  int line();

  /** {@code {"advance":"PT5M"}}: moves the virtual clock, visiting every due time on the way. */
  record Advance(int line, Duration by) implements ScenarioStep {}

  /**
   * {@code {"settings":{"prebuilds.admission.budget":3}}}: topology settings for the whole run, so
   * a scenario is self-contained. Only before the first event or advance.
   */
  record Settings(int line, Map<String, String> values) implements ScenarioStep {
    public Settings {
      values = Map.copyOf(values);
    }
  }

  /** {@code {"topic":"...","key":"...","value":{envelope}}}: one input record. */
  record Input(int line, String topic, String key, JsonNode value) implements ScenarioStep {}
}
