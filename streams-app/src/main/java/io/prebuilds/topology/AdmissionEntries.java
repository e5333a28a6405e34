package io.prebuilds.topology;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.prebuilds.reconcile.Allowance;
import io.prebuilds.reconcile.CapacityShare;
import io.prebuilds.schemas.event.CommandKind;

/**
 * What the admission stage's stores keep (see {@link AdmissionStage}). Records, so the changelogs
 * hold plain versioned JSON like every other store.
 */
final class AdmissionEntries {

  private AdmissionEntries() {}

  /**
   * Release order after claims (which bypass the stage): deletes free capacity, so they go first.
   */
  enum Priority {
    DELETE,
    CREATE;

    static Priority of(CommandKind kind) {
      return switch (kind) {
        case DELETE_PREBUILD -> DELETE;
        case CREATE_PREBUILD -> CREATE;
        case CANCEL_PENDING, CLAIM_WORKSPACE, REINITIALIZE_AGENT, ENSURE_MEMBERSHIP ->
            throw new IllegalArgumentException(kind.wire() + " commands are never queued");
      };
    }

    /** The metric label. */
    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A command waiting for a slot, in store {@code admission-queue} under {@code <org>\n<priority
   * ordinal>\n<offset>}: key order is release order.
   */
  record Queued(
      String commandId,
      String presetId,
      CommandKind kind,
      String commandKey,
      byte[] command,
      Instant queuedAt) {}

  /**
   * A command the stage knows, in store {@code admission-commands} under {@code
   * <org>\n<commandId>}: either queued (under {@code queueKey}) or dispatched (at {@code
   * dispatchedAt}).
   */
  record Admitted(String presetId, CommandKind kind, String queueKey, Instant dispatchedAt) {

    boolean queued() {
      return queueKey != null;
    }
  }

  /** Store {@code admission-organizations}: the counts the budget and the metrics need. */
  record Counts(
      int queuedDeletes, int queuedCreates, int dispatchedDeletes, int dispatchedCreates) {

    static final Counts ZERO = new Counts(0, 0, 0, 0);

    int dispatched() {
      return dispatchedDeletes + dispatchedCreates;
    }

    int queued() {
      return queuedDeletes + queuedCreates;
    }

    Counts queued(Priority priority, int delta) {
      return priority == Priority.DELETE
          ? new Counts(queuedDeletes + delta, queuedCreates, dispatchedDeletes, dispatchedCreates)
          : new Counts(queuedDeletes, queuedCreates + delta, dispatchedDeletes, dispatchedCreates);
    }

    Counts dispatched(Priority priority, int delta) {
      return priority == Priority.DELETE
          ? new Counts(queuedDeletes, queuedCreates, dispatchedDeletes + delta, dispatchedCreates)
          : new Counts(queuedDeletes, queuedCreates, dispatchedDeletes, dispatchedCreates + delta);
    }

    int queued(Priority priority) {
      return priority == Priority.DELETE ? queuedDeletes : queuedCreates;
    }

    int dispatched(Priority priority) {
      return priority == Priority.DELETE ? dispatchedDeletes : dispatchedCreates;
    }
  }

  /**
   * Store {@code admission-demands}, for organizations with a capacity cap: the desired count of
   * every preset that wants prebuilds (presets wanting none are left out, so they do not count as
   * sharing), and the allowance each was last sent.
   */
  record Demands(Map<String, Integer> desired, Map<String, Allowance> sent) {

    static final Demands NONE = new Demands(Map.of(), Map.of());

    Demands {
      desired = Map.copyOf(desired);
      sent = Map.copyOf(sent);
    }

    Demands with(String presetId, int count) {
      Map<String, Integer> next = new HashMap<>(desired);
      Map<String, Allowance> told = new HashMap<>(sent);
      if (count > 0) {
        next.put(presetId, count);
      } else {
        next.remove(presetId);
        told.remove(presetId);
      }
      return new Demands(next, told);
    }

    /** Each preset's share of {@code cap} ({@link CapacityShare}), with what it explains. */
    SortedMap<String, Allowance> allowances(int cap) {
      SortedMap<String, Allowance> result = new TreeMap<>();
      CapacityShare.allocate(cap, new TreeMap<>(desired))
          .forEach(
              (presetId, share) -> result.put(presetId, new Allowance(share, cap, desired.size())));
      return result;
    }

    Demands told(Map<String, Allowance> allowances) {
      return new Demands(desired, allowances);
    }
  }
}
