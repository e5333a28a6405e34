package io.prebuilds.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import io.prebuilds.schemas.Topics;

/**
 * The production topology ({@link PrebuildsTopology#build}) in a {@link TopologyTestDriver} with
 * persistent (RocksDB) stores under a given directory and {@code exactly_once_v2}, as the runtime
 * configures it.
 *
 * <p>The driver keeps every record the topology produced, changelogs and repartitions included,
 * until someone reads it; {@link #drain()} empties those queues (outside any timed section) and
 * counts what was there, so a benchmark of millions of records neither grows the heap nor measures
 * the queues.
 */
final class BenchDriver implements AutoCloseable {

  static final String APPLICATION_ID = "prebuilds-bench";

  final TopologyTestDriver driver;
  final TestInputTopic<String, byte[]> templates;
  final TestInputTopic<String, byte[]> builds;
  final TestInputTopic<String, byte[]> claims;

  BenchDriver(TopologySettings settings, Instant wallClockStart, Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putAll(PrebuildsTopology.requiredStreamsConfig(TopologyMetrics.NONE));
    driver =
        new TopologyTestDriver(
            PrebuildsTopology.build(settings, TopologyMetrics.NONE), props, wallClockStart);
    templates = input(Topics.TEMPLATES.name());
    builds = input(Topics.BUILDS.name());
    claims = input(Topics.CLAIMS.name());
  }

  /** The changelog topic of one of the topology's stores. */
  static String changelog(String store) {
    return APPLICATION_ID + "-" + store + "-changelog";
  }

  /** Reads and discards every captured output record; returns how many each topic had. */
  Map<String, Integer> drain() {
    Map<String, Integer> counts = new TreeMap<>();
    for (String topic : driver.producedTopicNames()) {
      int records =
          driver
              .createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
              .readRecordsToList()
              .size();
      if (records > 0) {
        counts.put(topic, records);
      }
    }
    return counts;
  }

  /**
   * Hands what was written to the stores from outside the topology to the driver's producer and
   * commits, as a wall-clock advance of zero does (no punctuation fires).
   */
  void commit() {
    driver.advanceWallClockTime(Duration.ZERO);
  }

  private TestInputTopic<String, byte[]> input(String topic) {
    return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
  }

  @Override
  public void close() {
    driver.close();
  }
}
