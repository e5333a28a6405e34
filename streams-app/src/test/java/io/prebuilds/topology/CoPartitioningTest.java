package io.prebuilds.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CoPartitioningTest {

  private static final List<String> TOPICS = List.of("builds", "claims", "commands");

  @Test
  void acceptsTopicsThatAllHaveTheExpectedCount() {
    assertThat(CoPartitioning.problems(TOPICS, Map.of("builds", 8, "claims", 8, "commands", 8), 8))
        .isEmpty();
  }

  @Test
  void namesEveryTopicWithAnotherCount() {
    assertThat(CoPartitioning.problems(TOPICS, Map.of("builds", 8, "claims", 4, "commands", 6), 8))
        .contains(
            "preset-keyed topics must all have 8 partitions (co-partitioning), but claims has 4,"
                + " commands has 6");
  }

  @Test
  void namesMissingTopics() {
    assertThat(CoPartitioning.problems(TOPICS, Map.of("builds", 8), 8))
        .hasValueSatisfying(m -> assertThat(m).startsWith("missing topics: claims, commands"));
  }
}
