package io.prebuilds.runtime.rebuild;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.topology.RebuildGate;

/**
 * Feeds the client's task metadata to the {@link RebuildGate} every second, so each task learns
 * when it has caught up, and says how far the rebuild is (at most every 10 seconds while behind).
 * Runs for the client's life: a task that moves here later is checked too (and passes at once when
 * its committed offsets are already past the history).
 */
public final class RebuildProgress implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RebuildProgress.class);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration REPORT = Duration.ofSeconds(10);

  private final RebuildGate gate;
  private final KafkaStreams streams;
  private final Clock clock;
  private final ScheduledExecutorService poller;
  private Instant lastReport = Instant.MIN;

  private RebuildProgress(RebuildGate gate, KafkaStreams streams, Clock clock) {
    this.gate = gate;
    this.streams = streams;
    this.clock = clock;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              var thread = new Thread(runnable, "rebuild-progress");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts watching; nothing to watch (and no thread) when this start is not a rebuild. */
  public static AutoCloseable watch(RebuildGate gate, KafkaStreams streams, Clock clock) {
    if (!gate.active()) {
      return () -> {};
    }
    RebuildProgress progress = new RebuildProgress(gate, streams, clock);
    progress.poller.scheduleWithFixedDelay(
        progress::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    return progress;
  }

  private void poll() {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
      return;
    }
    try {
      int behind = gate.observe(streams.metadataForLocalThreads());
      Instant now = clock.instant();
      if (behind > 0 && !now.isBefore(lastReport.plus(REPORT))) {
        lastReport = now;
        log.atInfo()
            .addKeyValue("partitionsBehind", behind)
            .log("rebuilding: local tasks are still reading the input as it was at start-up");
      }
    } catch (RuntimeException e) {
      log.atDebug().setCause(e).log("task metadata not available yet");
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
