package io.prebuilds.reconcile;

/**
 * When a new command's timeout starts: at issue when commands go straight to the command topic, at
 * dispatch when the admission stage may hold them first (see {@code docs/backpressure.md}).
 */
public enum CommandStart {
  AT_ISSUE,
  AT_DISPATCH
}
