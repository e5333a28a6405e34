package io.prebuilds.runtime.config;

import java.time.Duration;
import java.util.Properties;

/**
 * The service's validated configuration, built by {@link ConfigLoader} from defaults, a properties
 * file, {@code PREBUILDS_*}/{@code KAFKA_*} environment variables and flags (in that precedence).
 */
public record AppConfig(
    StreamsSettings streams,
    TopicSettings topics,
    HttpSettings http,
    ReconcileSettings reconcile,
    ThreadFailureLimit threadFailures,
    Duration shutdownTimeout,
    RebuildMode rebuild) {

  /** The final properties for the Kafka Streams client. */
  public Properties streamsProperties() {
    return streams.properties(topics.replicationFactor());
  }
}
