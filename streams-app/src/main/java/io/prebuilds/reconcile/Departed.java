package io.prebuilds.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * A workspace that left the pool (deleted, claimed, refused as not ours, or forgotten by an
 * inventory), remembered for a while so that late news of it cannot bring it back: a build event
 * about a build we already saw end, or an inventory snapshot taken before it left. Without it a
 * snapshot taken just before a claim would put the user's workspace back in the pool.
 *
 * @param buildNumber the latest build we knew of it when it left
 * @param at when it left, in the time of the event that made it leave
 */
public record Departed(String workspaceId, long buildNumber, Instant at) {

  public Departed {
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(at, "at");
  }
}
