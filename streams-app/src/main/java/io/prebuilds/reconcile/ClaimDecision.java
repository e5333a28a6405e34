package io.prebuilds.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** The answer to a claim: a prebuild for the user, or why there is none. */
public sealed interface ClaimDecision permits ClaimDecision.Claimed, ClaimDecision.NotClaimed {

  String claimId();

  /**
   * The user gets this prebuild. Apply it with {@link PresetState#onClaimed(Claimed)} and emit the
   * claim command with {@code commandId}.
   *
   * @param templateVersionId the version the prebuild was built from
   * @param lifecycle the lifecycle settings the claimed workspace starts with
   */
  record Claimed(
      String claimId,
      String commandId,
      String workspaceId,
      String workspaceName,
      String templateVersionId,
      String userId,
      String username,
      Instant decidedAt,
      ClaimedLifecycle lifecycle)
      implements ClaimDecision {
    public Claimed {
      username = Objects.requireNonNullElse(username, "");
      Objects.requireNonNull(claimId, "claimId");
      Objects.requireNonNull(commandId, "commandId");
      Objects.requireNonNull(workspaceId, "workspaceId");
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(decidedAt, "decidedAt");
      Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /** The claim to record on the prebuild. */
    public Claim claim() {
      return new Claim(claimId, userId, username, decidedAt);
    }
  }

  /** No prebuild for this claim; the caller builds a workspace the normal way. */
  record NotClaimed(String claimId, Reason reason, Instant decidedAt) implements ClaimDecision {
    public NotClaimed {
      Objects.requireNonNull(claimId, "claimId");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(decidedAt, "decidedAt");
    }
  }

  /** Why a claim got no prebuild. The wire names are part of the claim-results contract. */
  enum Reason {
    /** No running, ready, unexpired, unclaimed prebuild without a delete in flight. */
    NONE_ELIGIBLE("none-eligible"),
    /** The claim arrived after its deadline. */
    DEADLINE_PASSED("deadline-passed");

    private final String wireName;

    Reason(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /**
   * Lifecycle settings a claimed workspace starts with, from the template's defaults: prebuilds
   * carry none, so they neither autostop nor go dormant while waiting (Coder issue #18740).
   *
   * @param autostartSchedule the template's autostart cron, or null
   * @param autostopTtl how long it stays up once started; {@link Duration#ZERO} for no autostop
   * @param lastUsedAt the claim time, so the workspace does not look idle at once
   */
  record ClaimedLifecycle(String autostartSchedule, Duration autostopTtl, Instant lastUsedAt) {
    public ClaimedLifecycle {
      Objects.requireNonNull(autostopTtl, "autostopTtl");
      Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }
  }
}
