package io.prebuilds.runtime;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.prebuilds.runtime.config.ThreadFailureLimit;

class StreamThreadFailurePolicyTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Health health = new Health();
  private final StreamThreadFailurePolicy policy =
      new StreamThreadFailurePolicy(
          new ThreadFailureLimit(3, Duration.ofMinutes(10)), clock, registry, health);

  @Test
  void replacesTheThreadUntilTheLimitIsReachedWithinTheWindow() {
    assertThat(policy.handle(new RuntimeException("poison"))).isEqualTo(REPLACE_THREAD);
    clock.advance(Duration.ofMinutes(1));
    assertThat(policy.handle(new RuntimeException("poison"))).isEqualTo(REPLACE_THREAD);
    assertThat(health.liveness().ok()).isTrue();
    clock.advance(Duration.ofMinutes(1));

    assertThat(policy.handle(new RuntimeException("poison"))).isEqualTo(SHUTDOWN_CLIENT);
    assertThat(health.liveness().ok()).isFalse();
    assertThat(health.liveness().detail()).contains("failed 3 times within PT10M");
    assertThat(count("replace_thread")).isEqualTo(2);
    assertThat(count("shutdown_client")).isEqualTo(1);
  }

  @Test
  void failuresOlderThanTheWindowAreForgotten() {
    policy.handle(new RuntimeException("one"));
    clock.advance(Duration.ofMinutes(6));
    policy.handle(new RuntimeException("two"));
    clock.advance(Duration.ofMinutes(6));

    assertThat(policy.handle(new RuntimeException("three"))).isEqualTo(REPLACE_THREAD);
    clock.advance(Duration.ofMinutes(3));
    assertThat(policy.handle(new RuntimeException("four"))).isEqualTo(SHUTDOWN_CLIENT);
  }

  @Test
  void aFailureExactlyOneWindowLaterStartsAfresh() {
    var strict =
        new StreamThreadFailurePolicy(
            new ThreadFailureLimit(2, Duration.ofMinutes(10)), clock, registry, health);
    strict.handle(new RuntimeException("one"));
    clock.advance(Duration.ofMinutes(10));

    assertThat(strict.handle(new RuntimeException("two"))).isEqualTo(REPLACE_THREAD);
  }

  @Test
  void aLimitOfOneShutsDownOnTheFirstFailure() {
    var strict =
        new StreamThreadFailurePolicy(
            new ThreadFailureLimit(1, Duration.ofMinutes(10)), clock, registry, health);

    assertThat(strict.handle(new IllegalStateException("boom"))).isEqualTo(SHUTDOWN_CLIENT);
  }

  private double count(String response) {
    return registry
        .get(StreamThreadFailurePolicy.METRIC)
        .tag("response", response)
        .counter()
        .count();
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
