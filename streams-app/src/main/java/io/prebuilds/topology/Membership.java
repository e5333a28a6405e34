package io.prebuilds.topology;

/**
 * Whether we asked workers to make the prebuilds system user a member of an organization, and how
 * often (the generation goes up each time a worker reports failure, giving the retry a new id).
 */
record Membership(int generation, boolean failed) {

  static final Membership FIRST = new Membership(0, false);

  Membership retried() {
    return new Membership(generation + 1, false);
  }

  Membership failedNow() {
    return new Membership(generation, true);
  }
}
