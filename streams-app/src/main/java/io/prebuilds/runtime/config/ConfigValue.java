package io.prebuilds.runtime.config;

/**
 * A raw setting value and where it came from ({@code default}, {@code file app.properties}, {@code
 * environment variable PREBUILDS_HTTP_PORT}, {@code flag --http-port}), so a validation error can
 * tell the operator which of the four places to fix.
 */
public record ConfigValue(String value, String origin) {}
