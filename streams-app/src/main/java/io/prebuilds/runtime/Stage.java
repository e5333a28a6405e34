package io.prebuilds.runtime;

/**
 * One part of a running service (broker, topics, Kafka Streams app, demo workload). {@link
 * Lifecycle} starts stages in order and closes what they returned in reverse order, so a stage can
 * rely on everything before it (e.g. the app on the topics, the topics on the broker).
 *
 * @param name shown in logs and in the start-up failure message
 * @param starter starts the part and returns what stops it
 */
public record Stage(String name, Starter starter) {

  /** Starts a part; what it returns is closed when the service stops. */
  @FunctionalInterface
  public interface Starter {
    AutoCloseable start(RuntimeContext context) throws Exception;
  }
}
