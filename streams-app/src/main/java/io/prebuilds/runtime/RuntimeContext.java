package io.prebuilds.runtime;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.http.Router;
import io.prebuilds.runtime.metrics.TextExposition;

/**
 * What every {@link Stage} gets: the validated config, the wall clock, the registry exported at
 * {@code /metrics} (and the text sections appended to it, for series Micrometer cannot name), the
 * {@link Health} the probes read, and the HTTP router to add endpoints to.
 */
public record RuntimeContext(
    AppConfig config,
    Clock clock,
    MeterRegistry registry,
    TextExposition exposition,
    Health health,
    Router router) {}
