package io.prebuilds.runtime.config;

import java.time.Duration;

/**
 * How many stream-thread failures within {@code window} are tolerated by replacing the thread; the
 * {@code maxFailures}-th shuts the client down so liveness fails instead of a silent crash loop.
 */
public record ThreadFailureLimit(int maxFailures, Duration window) {}
