package io.prebuilds.reconcile;

/** The reconciler's own commands that stay in flight until a build or a command result answers. */
public enum CommandKind {
  CREATE,
  DELETE
}
