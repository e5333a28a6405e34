package io.prebuilds.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.runtime.config.ThreadFailureLimit;

/**
 * What to do when a stream thread dies: replace it, unless this is the {@code maxFailures}-th
 * failure within the window; then shut the client down and fail liveness, so an orchestrator
 * restarts the instance and alerts fire instead of threads crash-looping silently on a poison
 * record. Every failure counts in {@code prebuilds_stream_thread_failures_total{response=...}};
 * replacements also in {@code prebuilds_stream_thread_replacements_total}, the series the alert
 * rules and the dashboard read ({@code MetricCatalogue#STREAM_THREAD_REPLACEMENTS_TOTAL}).
 */
public final class StreamThreadFailurePolicy implements StreamsUncaughtExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(StreamThreadFailurePolicy.class);
  static final String METRIC = "prebuilds.stream.thread.failures";
  static final String REPLACEMENTS_METRIC = "prebuilds.stream.thread.replacements";

  private final ThreadFailureLimit limit;
  private final Clock clock;
  private final Health health;
  private final Counter replaced;
  private final Counter shutDown;
  private final Counter replacements;
  private final Deque<Instant> recentFailures = new ArrayDeque<>();

  public StreamThreadFailurePolicy(
      ThreadFailureLimit limit, Clock clock, MeterRegistry registry, Health health) {
    this.limit = limit;
    this.clock = clock;
    this.health = health;
    this.replaced = counter(registry, "replace_thread");
    this.shutDown = counter(registry, "shutdown_client");
    this.replacements =
        Counter.builder(REPLACEMENTS_METRIC)
            .description("Stream threads replaced after an uncaught exception")
            .register(registry);
  }

  @Override
  public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
    var now = clock.instant();
    var windowStart = now.minus(limit.window());
    while (!recentFailures.isEmpty() && !recentFailures.peekFirst().isAfter(windowStart)) {
      recentFailures.removeFirst();
    }
    recentFailures.addLast(now);
    var failures = recentFailures.size();
    if (failures < limit.maxFailures()) {
      replaced.increment();
      replacements.increment();
      log.atError()
          .addKeyValue("failuresInWindow", failures)
          .addKeyValue("maxFailures", limit.maxFailures())
          .addKeyValue("window", limit.window())
          .setCause(exception)
          .log("stream thread failed; replacing it");
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    shutDown.increment();
    var reason =
        "stream threads failed %d times within %s; client shut down"
            .formatted(failures, limit.window());
    health.markFailed(reason);
    log.atError()
        .addKeyValue("failuresInWindow", failures)
        .addKeyValue("window", limit.window())
        .setCause(exception)
        .log("stream thread failed too often; shutting the Kafka Streams client down");
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  private static Counter counter(MeterRegistry registry, String response) {
    return Counter.builder(METRIC)
        .description("Stream-thread failures, by the response chosen")
        .tag("response", response)
        .register(registry);
  }
}
