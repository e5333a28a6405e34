package io.prebuilds.schemas.event;

/** What topic {@code prebuilds.builds.v1} carries. */
public sealed interface BuildEvent extends Event permits BuildCompleted, AgentStatusChanged {}
