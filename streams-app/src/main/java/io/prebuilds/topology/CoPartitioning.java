package io.prebuilds.topology;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Co-partitioning is what makes one task the single writer of a preset: every preset-keyed topic
 * must have the same partition count, or a preset's builds and claims would land in different
 * tasks. The app refuses to start when that does not hold, naming the topics.
 */
public final class CoPartitioning {

  private CoPartitioning() {}

  /**
   * Checks the partition counts found for the co-partitioned topics. A topic missing from {@code
   * partitions} does not exist.
   *
   * @return a message naming every offending topic, or empty when all agree with {@code expected}
   */
  public static Optional<String> problems(
      List<String> coPartitionedTopics, Map<String, Integer> partitions, int expected) {
    List<String> missing =
        coPartitionedTopics.stream().filter(t -> !partitions.containsKey(t)).sorted().toList();
    Map<String, Integer> wrong = new TreeMap<>();
    coPartitionedTopics.stream()
        .filter(partitions::containsKey)
        .filter(t -> partitions.get(t) != expected)
        .forEach(t -> wrong.put(t, partitions.get(t)));
    if (missing.isEmpty() && wrong.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder message = new StringBuilder();
    if (!missing.isEmpty()) {
      message.append("missing topics: ").append(String.join(", ", missing));
    }
    if (!wrong.isEmpty()) {
      if (message.length() > 0) {
        message.append("; ");
      }
      message
          .append("preset-keyed topics must all have ")
          .append(expected)
          .append(" partitions (co-partitioning), but ")
          .append(
              wrong.entrySet().stream()
                  .map(e -> e.getKey() + " has " + e.getValue())
                  .collect(Collectors.joining(", ")));
    }
    return Optional.of(message.toString());
  }
}
