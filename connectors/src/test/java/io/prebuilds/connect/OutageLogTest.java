package io.prebuilds.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class OutageLogTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void warnsOnTheFirstFailureThenOncePerQuietPeriodAndCountsTheAttempts() {
    var outage = new OutageLog(Duration.ofSeconds(30));

    assertThat(outage.failed(T0)).isTrue();
    assertThat(outage.failed(T0.plusSeconds(1))).isFalse();
    assertThat(outage.failed(T0.plusSeconds(29))).isFalse();
    assertThat(outage.failed(T0.plusSeconds(30))).isTrue();
    assertThat(outage.failed(T0.plusSeconds(31))).isFalse();
    assertThat(outage.failedAttempts()).isEqualTo(5);
  }

  @Test
  void recoveryReportsTheAttemptsOnceAndTheNextOutageWarnsAgain() {
    var outage = new OutageLog(Duration.ofSeconds(30));
    outage.failed(T0);
    outage.failed(T0.plusSeconds(1));

    assertThat(outage.recovered()).isEqualTo(2);
    assertThat(outage.recovered()).isZero();
    assertThat(outage.failed(T0.plusSeconds(2))).isTrue();
  }
}
