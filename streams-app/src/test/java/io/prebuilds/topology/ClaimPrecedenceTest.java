package io.prebuilds.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ClaimPrecedenceTest {

  private final ClaimPrecedence fiveMinutes = new ClaimPrecedence(Duration.ofMinutes(5));

  @Test
  void aClaimCountsAsProducedTheLeadEarlierAndItsProductionTimeComesBack() {
    long produced = 1_764_700_000_000L;

    long ordered = fiveMinutes.extract(record(produced), 0);

    assertThat(ordered).isEqualTo(produced - 300_000);
    assertThat(fiveMinutes.produced(ordered)).isEqualTo(produced);
  }

  @Test
  void aClaimGoesBeforeInputProducedUpToTheLeadBeforeIt() {
    long claim = 1_764_700_000_000L;
    long buildFourMinutesEarlier = claim - Duration.ofMinutes(4).toMillis();

    assertThat(fiveMinutes.extract(record(claim), 0)).isLessThan(buildFourMinutesEarlier);
  }

  @Test
  void theTimestampIsNeverNegativeWhichKafkaStreamsWouldDrop() {
    assertThat(fiveMinutes.extract(record(1_000), 0)).isZero();
    assertThat(fiveMinutes.extract(record(-1), 0)).isZero();
  }

  @Test
  void noLeadKeepsTheProducedOrder() {
    ClaimPrecedence none = new ClaimPrecedence(Duration.ZERO);

    assertThat(none.extract(record(42), 0)).isEqualTo(42);
    assertThat(none.produced(42)).isEqualTo(42);
  }

  @Test
  void aNegativeLeadIsRefused() {
    assertThatThrownBy(() -> new ClaimPrecedence(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claim precedence");
  }

  private static ConsumerRecord<Object, Object> record(long timestamp) {
    return new ConsumerRecord<>(
        "prebuilds.claims.v1",
        0,
        0L,
        timestamp,
        TimestampType.CREATE_TIME,
        0,
        0,
        "p-1",
        null,
        new RecordHeaders(),
        Optional.empty());
  }
}
