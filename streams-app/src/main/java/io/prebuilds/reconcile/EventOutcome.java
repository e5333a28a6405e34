package io.prebuilds.reconcile;

/** What applying an input event to a preset's state did; the topology counts and logs it. */
public enum EventOutcome {
  /** The event changed the state. */
  APPLIED,
  /** A workspace we did not know (its earlier events were lost) was added to the pool. */
  ADOPTED,
  /** The event is about an older build than the one we know; the state is unchanged. */
  STALE_DROPPED,
  /** The event is about a workspace we do not know and there is nothing to learn from it. */
  UNKNOWN_WORKSPACE,
  /** The command result names a command we are not waiting for (answered or timed out). */
  UNKNOWN_COMMAND,
  /** The claim build of a claimed prebuild succeeded: time to reinitialize its agent. */
  CLAIM_BUILD_SUCCEEDED,
  /**
   * The claim build of a claimed prebuild failed or was canceled: the claim failed, and the
   * workspace is back in the pool as a failed prebuild, so hygiene deletes it (reason {@code
   * failed}, keeping the newest {@code failedRetention}).
   */
  CLAIM_BUILD_FAILED,
  /** A claimed prebuild's later build finished otherwise; the workspace is the user's now. */
  CLAIMED_WORKSPACE_RELEASED
}
