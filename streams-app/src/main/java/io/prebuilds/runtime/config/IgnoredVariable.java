package io.prebuilds.runtime.config;

/**
 * An environment variable with one of our prefixes that sets nothing, such as the Kubernetes
 * service links {@code KAFKA_PORT} or {@code PREBUILDS_SERVICE_HOST}. It is reported, not fatal.
 */
public record IgnoredVariable(String name, String reason) {}
