package io.prebuilds.connect;

/** The three topics the sink reads; which one a record came from decides its table. */
record ReadModelTopics(String presetState, String notifications, String claimResults) {}
