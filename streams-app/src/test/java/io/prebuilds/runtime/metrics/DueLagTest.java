package io.prebuilds.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The due lag is measured at the scrape, over the tasks the instance holds. */
class DueLagTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  private final AtomicReference<Instant> now = new AtomicReference<>(T0);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PrebuildsMetrics metrics = new PrebuildsMetrics(registry, new TestClock());

  @Test
  void isZeroWithoutTasksAndWhenEverythingIsDueLater() {
    assertThat(lag()).isZero();

    metrics.earliestDue("0_1", T0.plusSeconds(30));

    assertThat(lag()).isZero();
  }

  @Test
  void isTheLongestOverdueTaskAndKeepsGrowingWhileNoTickReports() {
    metrics.earliestDue("0_1", T0.minusSeconds(2));
    metrics.earliestDue("0_2", T0.minusSeconds(5));
    metrics.earliestDue("0_3", T0.plusSeconds(60));

    assertThat(lag()).isEqualTo(5.0);

    now.set(T0.plus(Duration.ofMillis(1_500)));
    assertThat(lag()).isEqualTo(6.5);
  }

  @Test
  void forgetsATaskThatClosed() {
    metrics.earliestDue("0_1", T0.minusSeconds(2));
    metrics.earliestDue("0_2", T0.minusSeconds(5));

    metrics.earliestDue("0_2", null);

    assertThat(lag()).isEqualTo(2.0);
  }

  private double lag() {
    return registry.get("prebuilds.due.lag.seconds").gauge().value();
  }

  private final class TestClock extends Clock {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
