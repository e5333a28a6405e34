package io.prebuilds.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimResult;
import io.prebuilds.schemas.event.NoPrebuildAvailable;
import io.prebuilds.schemas.event.NoPrebuildReason;
import io.prebuilds.testing.KafkaBroker;

/**
 * A claim's answer does not wait for the commit interval: with commits every five minutes, answers
 * still reach a read_committed reader, one claim after another, because answering a fresh claim
 * requests a commit ({@link TopologySettings#claimCommitWithin}; a minute here, so that a slow
 * start of the test's application does not make its first claim stale).
 */
class ClaimCommitOnBrokerTest {

  private static final int PARTITIONS = 2;
  private static final Duration COMMIT_INTERVAL = Duration.ofMinutes(5);

  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  private static final EventCodec codec = EventCodec.create();
  private static KafkaStreams streams;
  private static KafkaProducer<String, byte[]> producer;
  private static KafkaConsumer<String, byte[]> results;
  private static final List<ClaimResult> answers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(PARTITIONS, (short) 1)).toList());
    Properties props = BrokerStreams.config("prebuilds-claim-commit", kafka.bootstrapServers());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL.toMillis());
    // Kafka Streams refuses a transaction timeout shorter than the commit interval
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
        (int) COMMIT_INTERVAL.multipliedBy(2).toMillis());
    streams =
        new KafkaStreams(
            PrebuildsTopology.build(
                TopologySettings.defaults(PARTITIONS).withClaimCommitWithin(Duration.ofMinutes(1)),
                TopologyMetrics.NONE),
            props);
    streams.start();
    producer = kafka.bytesProducer();
    results = kafka.bytesConsumer(Topics.CLAIM_RESULTS.name());
  }

  @AfterAll
  static void stop() {
    if (results != null) {
      results.close();
    }
    if (producer != null) {
      producer.close();
    }
    if (streams != null) {
      streams.close(Duration.ofSeconds(30));
    }
  }

  @Test
  void claimsAreAnsweredLongBeforeTheCommitInterval() {
    for (String claimId : List.of("claim-1", "claim-2")) {
      Instant now = Instant.now();
      ClaimRequested claim =
          new ClaimRequested(
              claimId,
              "p-undefined",
              TopologyHarness.ORG,
              "alice",
              "alice",
              "alice-ws",
              now,
              now.plusSeconds(60));
      producer.send(
          new ProducerRecord<>(
              Topics.CLAIMS.name(),
              claim.presetId(),
              codec.encode(Envelope.of("/claim-commit-test", "e-" + claimId, now, claim))));
      producer.flush();

      await()
          .atMost(COMMIT_INTERVAL.dividedBy(5))
          .untilAsserted(
              () -> {
                results
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r ->
                            answers.add(
                                (ClaimResult) codec.decode(r.value()).orElseThrow().data()));
                assertThat(answers)
                    .anySatisfy(
                        answer -> {
                          assertThat(answer).isInstanceOf(NoPrebuildAvailable.class);
                          assertThat(answer.claimId()).isEqualTo(claimId);
                          assertThat(((NoPrebuildAvailable) answer).reason())
                              .isEqualTo(NoPrebuildReason.UNKNOWN_PRESET);
                        });
              });
    }
  }
}
