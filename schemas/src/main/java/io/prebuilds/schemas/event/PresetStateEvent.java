package io.prebuilds.schemas.event;

/** What topic {@code prebuilds.preset-state.v1} carries. */
public sealed interface PresetStateEvent extends Event permits PresetSnapshot {}
