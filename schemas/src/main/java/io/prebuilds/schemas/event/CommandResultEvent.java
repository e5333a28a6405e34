package io.prebuilds.schemas.event;

/** What topic {@code prebuilds.command-results.v1} carries. */
public sealed interface CommandResultEvent extends Event permits CommandResult, CapacityAllowance {}
