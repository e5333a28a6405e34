package io.prebuilds.reconcile;

/** What a workspace build does to the workspace. */
public enum BuildTransition {
  START,
  STOP,
  DELETE
}
