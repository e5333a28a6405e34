package io.prebuilds.schemas.event;

/** What topic {@code prebuilds.templates.v1} carries. */
public sealed interface TemplateEvent extends Event permits TemplateSnapshot {}
