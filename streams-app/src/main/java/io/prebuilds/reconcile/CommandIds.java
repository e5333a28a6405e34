package io.prebuilds.reconcile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Deterministic identifiers for everything the reconciler emits.
 *
 * <p>An id is the SHA-256 of the preset, the trigger {@code (source, id)}, the action kind and the
 * target (a workspace id, or the slot number of a create within one decision), shaped as a UUID
 * (version 8, RFC 9562). The same input replayed after a failover gives the same ids, so workers
 * and sinks dedupe by id. Fields are length-prefixed, so no two different inputs share an encoding.
 */
public final class CommandIds {

  private static final HexFormat HEX = HexFormat.of();
  private static final MessageDigest SHA256 = newSha256();

  private CommandIds() {}

  /** The id of one action of one decision. */
  public static String commandId(String presetId, Trigger trigger, String kind, String target) {
    return uuid(digest(presetId, trigger.source(), trigger.id(), kind, target));
  }

  /**
   * The id of the workspace a create command makes. Derived from the command id, so a re-delivered
   * create targets the same workspace.
   */
  public static String workspaceId(String createCommandId) {
    return uuid(digest("workspace", createCommandId));
  }

  /** The id and the name of the workspace a create command makes. */
  record Workspace(String id, String name) {}

  /** Both {@link #workspaceId} and {@link #workspaceName}, from one digest. */
  static Workspace workspace(String createCommandId) {
    byte[] hash = digest("workspace", createCommandId);
    return new Workspace(uuid(hash), "prebuild-" + HEX.formatHex(hash, 16, 22));
  }

  /**
   * The name of the workspace a create command makes: {@code prebuild-} and 12 hex digits, within
   * Coder's 32-character, lowercase, DNS-label-like naming rules.
   */
  public static String workspaceName(String createCommandId) {
    return "prebuild-" + HEX.formatHex(digest("workspace", createCommandId), 16, 22);
  }

  private static byte[] digest(String... parts) {
    MessageDigest sha256 = sha256();
    for (String part : parts) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      int n = bytes.length;
      sha256.update((byte) (n >>> 24));
      sha256.update((byte) (n >>> 16));
      sha256.update((byte) (n >>> 8));
      sha256.update((byte) n);
      sha256.update(bytes);
    }
    return sha256.digest();
  }

  private static String uuid(byte[] hash) {
    byte[] b = Arrays.copyOf(hash, 16);
    b[6] = (byte) ((b[6] & 0x0f) | 0x80); // version 8: custom (hash-based)
    b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
    String hex = HEX.formatHex(b);
    return hex.substring(0, 8)
        + '-'
        + hex.substring(8, 12)
        + '-'
        + hex.substring(12, 16)
        + '-'
        + hex.substring(16, 20)
        + '-'
        + hex.substring(20);
  }

  /** A fresh digest cloned from a prototype: much cheaper than a provider lookup per id. */
  private static MessageDigest sha256() {
    try {
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the SHA-256 implementation cannot be cloned", e);
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
