package io.prebuilds.topology;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import io.prebuilds.reconcile.PresetDefinition;

/**
 * Counts what the topology did during a benchmark (decisions, commands, dropped events), so a
 * report shows the topology really did its work rather than dropping the input.
 */
final class WorkCounts implements TopologyMetrics {

  private final LongAdder decisions = new LongAdder();
  private final LongAdder commands = new LongAdder();
  private final LongAdder stale = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder quarantined = new LongAdder();
  private final LongAdder claims = new LongAdder();

  @Override
  public void decisionNanos(String trigger, long nanos) {
    decisions.increment();
  }

  @Override
  public void commandEmitted(String kind) {
    commands.increment();
  }

  @Override
  public void staleEventDropped(String topic) {
    stale.increment();
  }

  @Override
  public void duplicateEventDropped(String topic) {
    duplicates.increment();
  }

  @Override
  public void presetQuarantined(String presetId) {
    quarantined.increment();
  }

  @Override
  public void claimAnswered(PresetDefinition preset, String outcome, Duration latency) {
    claims.increment();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%,d decisions, %,d commands, %,d claims answered, %,d stale and %,d duplicate events"
            + " dropped, %,d quarantined",
        decisions.sum(),
        commands.sum(),
        claims.sum(),
        stale.sum(),
        duplicates.sum(),
        quarantined.sum());
  }
}
