package io.prebuilds.reconcile;

/** Why a build failed, as the provisioner reports it. */
public enum FailureKind {
  /** The build ran and failed; retrying may help (backoff applies). */
  TRANSIENT,
  /** The build was refused before a workspace existed; retrying cannot help. */
  VALIDATION
}
