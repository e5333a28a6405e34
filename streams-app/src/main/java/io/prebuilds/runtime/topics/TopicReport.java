package io.prebuilds.runtime.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.prebuilds.schemas.TopicSpec;

/**
 * How the cluster's topics compare with the catalogue: every {@link TopicFinding}, in catalogue
 * order. Pure, so the rules are tested without a broker. The co-partition rule is ARCHITECTURE
 * §2's: every preset-keyed topic has the configured count, or one preset's records would be
 * processed by different instances.
 */
public record TopicReport(List<TopicFinding> findings) {
  public TopicReport {
    findings = List.copyOf(findings);
  }

  /**
   * Compares {@code observed} (topics that exist, by name) with {@code catalogue}. Co-partitioned
   * topics must have {@code partitions}; the others may have any count.
   */
  public static TopicReport compare(
      List<TopicSpec<?>> catalogue, Map<String, ObservedTopic> observed, int partitions) {
    List<TopicFinding> findings = new ArrayList<>();
    for (TopicSpec<?> spec : catalogue) {
      ObservedTopic topic = observed.get(spec.name());
      if (topic == null) {
        findings.add(new TopicFinding.Missing(spec.name()));
        continue;
      }
      if (spec.coPartitioned() && topic.partitions() != partitions) {
        findings.add(new TopicFinding.PartitionCount(spec.name(), topic.partitions(), partitions));
      }
      spec.configs().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .filter(e -> !Objects.equals(topic.configs().get(e.getKey()), e.getValue()))
          .forEach(
              e ->
                  findings.add(
                      new TopicFinding.Config(
                          spec.name(),
                          e.getKey(),
                          String.valueOf(topic.configs().get(e.getKey())),
                          e.getValue())));
    }
    return new TopicReport(findings);
  }

  /** No finding keeps the service from running. */
  public boolean ready() {
    return findings.stream().noneMatch(TopicFinding::blocking);
  }

  public List<TopicFinding> blocking() {
    return findings.stream().filter(TopicFinding::blocking).toList();
  }

  public List<TopicFinding> drift() {
    return findings.stream().filter(finding -> !finding.blocking()).toList();
  }

  /**
   * Why the service cannot run, naming every offending topic ("missing topics: a, b; c has 4
   * partitions, expected 8 ..."); empty when it can.
   */
  public Optional<String> refusal() {
    if (ready()) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    List<String> missing =
        blocking().stream()
            .filter(TopicFinding.Missing.class::isInstance)
            .map(TopicFinding::topic)
            .toList();
    if (!missing.isEmpty()) {
      parts.add("missing topics: " + String.join(", ", missing));
    }
    blocking().stream()
        .filter(finding -> !(finding instanceof TopicFinding.Missing))
        .map(TopicFinding::describe)
        .forEach(parts::add);
    return Optional.of(String.join("; ", parts));
  }
}
