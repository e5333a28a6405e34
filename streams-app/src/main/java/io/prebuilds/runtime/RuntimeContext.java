package io.prebuilds.runtime;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.http.Router;

/**
 * What every {@link Stage} gets: the validated config, the wall clock, the registry exported at
 * {@code /metrics}, the {@link Health} the probes read, and the HTTP router to add endpoints to.
 */
public record RuntimeContext(
    AppConfig config, Clock clock, MeterRegistry registry, Health health, Router router) {}
