package io.prebuilds.cli;

import java.util.List;

import io.prebuilds.runtime.Stage;

/**
 * The stages each command starts after the runtime's own (metrics, health, HTTP; and for {@code
 * dev}, the embedded broker): for {@code run}, e.g. the topic check and the Kafka Streams app; for
 * {@code dev}, creating the topics, the app and the demo workload. Started in list order, stopped
 * in reverse.
 */
public record Components(List<Stage> run, List<Stage> dev) {
  public Components {
    run = List.copyOf(run);
    dev = List.copyOf(dev);
  }
}
