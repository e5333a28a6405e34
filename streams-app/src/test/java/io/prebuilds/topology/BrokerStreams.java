package io.prebuilds.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;

/**
 * Streams settings for topology tests on the in-process broker: exactly-once, a fresh state
 * directory each time (so a restart restores from the changelog), quick commits and the settings
 * the topology requires.
 */
final class BrokerStreams {

  private BrokerStreams() {}

  static Properties config(String applicationId, String bootstrapServers) throws IOException {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(
        StreamsConfig.STATE_DIR_CONFIG,
        Files.createTempDirectory(applicationId + "-state-").toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    // A stopped instance leaves the group quickly, so a restart in the same test rebalances fast.
    props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6000);
    props.putAll(PrebuildsTopology.requiredStreamsConfig(TopologyMetrics.NONE));
    return props;
  }
}
