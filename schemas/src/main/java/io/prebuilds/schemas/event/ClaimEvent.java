package io.prebuilds.schemas.event;

/** What topic {@code prebuilds.claims.v1} carries. */
public sealed interface ClaimEvent extends Event permits ClaimRequested {}
