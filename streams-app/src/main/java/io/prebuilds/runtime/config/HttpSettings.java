package io.prebuilds.runtime.config;

import java.util.Optional;

/** The HTTP server: where it listens and the token admin actions need (none: admin disabled). */
public record HttpSettings(String host, int port, Optional<AdminToken> adminToken) {}
