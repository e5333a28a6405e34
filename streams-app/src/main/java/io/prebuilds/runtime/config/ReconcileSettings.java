package io.prebuilds.runtime.config;

import java.time.Duration;
import java.util.Map;

/**
 * The reconciler's knobs as plain values, read from config; the topology turns them into the
 * decision core's own configuration. Defaults match Coder's where Coder has one.
 *
 * @param backoffInterval wait per failed create build in the lookback before creating again
 * @param backoffLookback how far back failed create builds count towards backoff
 * @param failureHardLimit consecutive failed create builds that stop creates (0 disables)
 * @param failedRetention newest failed prebuilds kept for inspection, by creation time
 * @param commandTimeout after this a command without an answer counts as timed out
 * @param resyncInterval how often an idle preset is reconciled anyway (anti-entropy)
 * @param dueIndexMaxPresetsPerTick presets the due-index punctuator reconciles per tick at most
 * @param dueIndexDecisionsPerSecond timer and definition decisions per second at most (0 = unpaced)
 * @param admissionBudget dispatched prebuild creates and deletes per organization (0 = unlimited)
 * @param capacityCaps prebuilds (running + in flight) per organization id at most; others uncapped
 * @param cachedPresetsPerTask presets per task whose state is kept deserialized in memory
 * @param claimCommitWithin a claim answered within this long of its request commits at once (zero:
 *     claims wait for the commit interval like everything else)
 */
public record ReconcileSettings(
    Duration backoffInterval,
    Duration backoffLookback,
    int failureHardLimit,
    int failedRetention,
    Duration commandTimeout,
    Duration resyncInterval,
    int dueIndexMaxPresetsPerTick,
    int dueIndexDecisionsPerSecond,
    int admissionBudget,
    Map<String, Integer> capacityCaps,
    int cachedPresetsPerTask,
    Duration claimCommitWithin) {

  public ReconcileSettings {
    capacityCaps = Map.copyOf(capacityCaps);
  }
}
