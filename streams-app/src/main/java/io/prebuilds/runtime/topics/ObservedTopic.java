package io.prebuilds.runtime.topics;

import java.util.Map;

/**
 * A topic as the cluster has it: its partition count and the topic-level configs that matter to us
 * (the keys of {@link io.prebuilds.schemas.TopicSpec#configs()}).
 */
public record ObservedTopic(String name, int partitions, Map<String, String> configs) {
  public ObservedTopic {
    configs = Map.copyOf(configs);
  }
}
