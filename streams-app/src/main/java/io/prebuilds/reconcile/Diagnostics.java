package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.List;

/**
 * What the decision saw, apart from what it does: the numbers an operator or a metric reads, and
 * the explanation a template admin reads. Same names and meaning as Coder's reconciliation state.
 *
 * @param actual running prebuilds, expired ones included (Coder's Actual)
 * @param desired the pool size wanted now (0 when inactive)
 * @param eligible running, unexpired prebuilds whose agents are all ready: claimable now
 * @param extraneous running, unexpired prebuilds above {@code desired}
 * @param expired running prebuilds past their TTL or created before an invalidation
 * @param starting creates in flight and start builds in progress
 * @param stopping stop builds in progress
 * @param deleting deletes in flight and delete builds in progress
 * @param timedOut commands found unanswered past their timeout by this decision
 * @param desiredSource where {@code desired} came from, in plain words
 * @param backoffUntil creates are held back until then; null if not in backoff
 * @param status the preset's status after this decision
 * @param explanation plain-language lines: the desired count, problems, and every action's reason
 */
public record Diagnostics(
    int actual,
    int desired,
    int eligible,
    int extraneous,
    int expired,
    int starting,
    int stopping,
    int deleting,
    int timedOut,
    String desiredSource,
    Instant backoffUntil,
    PresetStatus status,
    List<String> explanation) {

  public Diagnostics {
    explanation = List.copyOf(explanation);
  }
}
