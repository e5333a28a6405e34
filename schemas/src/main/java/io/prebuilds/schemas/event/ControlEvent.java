package io.prebuilds.schemas.event;

/** What topic {@code prebuilds.control.v1} carries. */
public sealed interface ControlEvent extends Event
    permits InvalidatePreset, ResetPreset, ResyncPreset {}
