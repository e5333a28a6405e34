package io.prebuilds.reconcile;

/** Where a workspace build stands. PENDING and RUNNING are in progress; the rest are final. */
public enum BuildStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELED;

  /** Whether the build has not finished yet. */
  public boolean inProgress() {
    return this == PENDING || this == RUNNING;
  }
}
