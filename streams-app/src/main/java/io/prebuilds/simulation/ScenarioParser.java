package io.prebuilds.simulation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the JSONL scenario format. Blank lines and lines starting with {@code #} or {@code //} are
 * comments. Every problem is reported with its line number and a reason, never a stack trace.
 */
public final class ScenarioParser {

  private final ObjectMapper mapper;
  private final Set<String> inputTopics;

  public ScenarioParser(ObjectMapper mapper, Set<String> inputTopics) {
    this.mapper = mapper;
    this.inputTopics = Set.copyOf(inputTopics);
  }

  public List<ScenarioStep> parse(Reader source) throws IOException {
    List<ScenarioStep> steps = new ArrayList<>();
    BufferedReader reader = new BufferedReader(source);
    String text;
    int line = 0;
    while ((text = reader.readLine()) != null) {
      line++;
      String trimmed = text.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("//")) {
        continue;
      }
      ScenarioStep step = parseLine(line, trimmed);
      if (step instanceof ScenarioStep.Settings && !steps.isEmpty()) {
        throw new ScenarioException(line, "\"settings\" must come before every other step");
      }
      steps.add(step);
    }
    return List.copyOf(steps);
  }

  ScenarioStep parseLine(int line, String text) {
    JsonNode node;
    try {
      node = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ScenarioException(line, "not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new ScenarioException(line, "expected a JSON object");
    }
    if (node.has("advance")) {
      return new ScenarioStep.Advance(line, duration(line, node.get("advance")));
    }
    if (node.has("topic")) {
      return input(line, node);
    }
    if (node.has("settings")) {
      return settings(line, node.get("settings"));
    }
    throw new ScenarioException(
        line, "expected {\"advance\":...}, {\"topic\":...} or {\"settings\":...}");
  }

  private ScenarioStep.Input input(int line, JsonNode node) {
    String topic = node.get("topic").asText();
    if (!inputTopics.contains(topic)) {
      throw new ScenarioException(
          line,
          "unknown input topic '"
              + topic
              + "'; inputs are "
              + inputTopics.stream().sorted().toList());
    }
    JsonNode key = node.get("key");
    if (key == null || !key.isTextual() || key.asText().isEmpty()) {
      throw new ScenarioException(line, "missing \"key\" (a non-empty string)");
    }
    JsonNode value = node.get("value");
    if (value == null) {
      throw new ScenarioException(
          line, "missing \"value\" (the event envelope, or null for a tombstone)");
    }
    return new ScenarioStep.Input(line, topic, key.asText(), value);
  }

  private static ScenarioStep.Settings settings(int line, JsonNode node) {
    if (!node.isObject()) {
      throw new ScenarioException(line, "\"settings\" must be an object of setting keys to values");
    }
    Map<String, String> values = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            field -> {
              if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw new ScenarioException(
                    line, "setting '" + field.getKey() + "' must be a string or a number");
              }
              values.put(field.getKey(), field.getValue().asText());
            });
    return new ScenarioStep.Settings(line, values);
  }

  private static Duration duration(int line, JsonNode value) {
    try {
      Duration by = Duration.parse(value.asText());
      if (by.isNegative()) {
        throw new ScenarioException(line, "\"advance\" must not be negative: " + value.asText());
      }
      return by;
    } catch (DateTimeParseException e) {
      throw new ScenarioException(
          line, "\"advance\" is not an ISO-8601 duration (e.g. PT5M): " + value.asText());
    }
  }
}
