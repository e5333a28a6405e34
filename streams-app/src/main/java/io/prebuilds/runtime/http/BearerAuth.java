package io.prebuilds.runtime.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import io.prebuilds.runtime.config.AdminToken;

/**
 * Guards admin actions with the configured bearer token. Reads of metrics, health and state stay
 * open; only handlers wrapped here need {@code Authorization: Bearer <token>}. Without a configured
 * token admin actions are disabled (403), so an unset token never means "open".
 */
public final class BearerAuth {
  private static final String SCHEME = "Bearer ";

  private BearerAuth() {}

  public static Handler require(Optional<AdminToken> token, Handler handler) {
    return request -> {
      if (token.isEmpty()) {
        return Response.error(403, "admin actions are disabled; set prebuilds.admin.token");
      }
      var presented =
          request
              .header("Authorization")
              .filter(value -> value.regionMatches(true, 0, SCHEME, 0, SCHEME.length()))
              .map(value -> value.substring(SCHEME.length()).strip());
      if (presented.isEmpty() || !matches(token.get(), presented.get())) {
        return Response.error(401, "a valid bearer token is required")
            .withHeader("WWW-Authenticate", "Bearer realm=\"prebuilds\"");
      }
      return handler.handle(request);
    };
  }

  /**
   * Constant-time comparison: both sides are hashed first, so neither the position of the first
   * differing byte nor the token's length shows in the time taken.
   */
  static boolean matches(AdminToken expected, String presented) {
    return MessageDigest.isEqual(sha256(expected.value()), sha256(presented));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
