package io.prebuilds.schemas.event;

/** What topic {@code prebuilds.settings.v1} carries. */
public sealed interface SettingsEvent extends Event permits GlobalSettings {}
