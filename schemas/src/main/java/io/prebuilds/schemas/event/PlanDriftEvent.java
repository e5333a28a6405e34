package io.prebuilds.schemas.event;

/** What topic {@code prebuilds.plan-drift.v1} carries. */
public sealed interface PlanDriftEvent extends Event permits PlanDriftDetected {}
