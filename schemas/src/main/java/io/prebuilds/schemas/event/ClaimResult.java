package io.prebuilds.schemas.event;

import java.time.Instant;

/**
 * The answer to a {@link ClaimRequested}, keyed by claim id. A repeated claim id gets the first
 * answer again, so callers may retry freely.
 */
public sealed interface ClaimResult extends Event
    permits Claimed, NoPrebuildAvailable, ClaimFailed {

  String claimId();

  String presetId();

  Instant decidedAt();

  /** Also written to JSON, so readers of the read model need not map types. */
  ClaimOutcome outcome();

  @Override
  default String key() {
    return claimId();
  }
}
