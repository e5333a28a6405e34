package io.prebuilds.runtime;

import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams state listener: logs every transition (errors at ERROR) and feeds {@link
 * Health}. Kafka Streams takes one state listener, so this is the one.
 */
public final class StateTransitionLog implements KafkaStreams.StateListener {
  private static final Logger log = LoggerFactory.getLogger(StateTransitionLog.class);

  private final Health health;

  public StateTransitionLog(Health health) {
    this.health = health;
  }

  @Override
  public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    health.onStateChange(newState);
    var event =
        switch (newState) {
          case ERROR, PENDING_ERROR -> log.atError();
          case CREATED, REBALANCING, RUNNING, PENDING_SHUTDOWN, NOT_RUNNING -> log.atInfo();
        };
    event
        .addKeyValue("from", oldState)
        .addKeyValue("to", newState)
        .log("Kafka Streams state changed");
  }
}
