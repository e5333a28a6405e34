package io.prebuilds.reconcile;

/**
 * Lifetime counters of a preset, kept in its state so they survive restarts and never go down
 * (unlike Coder's, which are recounted from rows that get deleted).
 *
 * @param createdTotal prebuilds whose first build finished (succeeded or failed)
 * @param failedTotal prebuilds whose first build failed
 * @param claimedTotal prebuilds handed to users
 * @param resourceReplacementsTotal claim builds whose plan replaced resources
 * @param timedOutTotal commands that nobody answered in time
 */
public record PresetCounters(
    long createdTotal,
    long failedTotal,
    long claimedTotal,
    long resourceReplacementsTotal,
    long timedOutTotal) {

  public static final PresetCounters ZERO = new PresetCounters(0, 0, 0, 0, 0);

  PresetCounters plusCreated(boolean failed) {
    return new PresetCounters(
        createdTotal + 1,
        failedTotal + (failed ? 1 : 0),
        claimedTotal,
        resourceReplacementsTotal,
        timedOutTotal);
  }

  PresetCounters plusClaimed() {
    return new PresetCounters(
        createdTotal, failedTotal, claimedTotal + 1, resourceReplacementsTotal, timedOutTotal);
  }

  PresetCounters plusResourceReplacements() {
    return new PresetCounters(
        createdTotal, failedTotal, claimedTotal, resourceReplacementsTotal + 1, timedOutTotal);
  }

  PresetCounters plusTimedOut(int n) {
    return new PresetCounters(
        createdTotal, failedTotal, claimedTotal, resourceReplacementsTotal, timedOutTotal + n);
  }
}
