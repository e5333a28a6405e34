package io.prebuilds.drift;

/**
 * The one rule for which replacements matter, shared by the plan adapter and the topology (other
 * producers may send plan-drift events too): resources of Coder's virtual provider ({@code coder_*}
 * types) are ignored, because their changes surface on the real resources that depend on them.
 */
public final class ReplacementRule {

  private static final String CODER_TYPE_PREFIX = "coder_";

  private ReplacementRule() {}

  /** Whether a replacement of the resource at {@code address} should be reported. */
  public static boolean counts(String address) {
    return !resourceType(address).startsWith(CODER_TYPE_PREFIX);
  }

  /**
   * The resource type of a Terraform address: {@code module.a.module.b.aws_instance.x[0]} and
   * {@code data.aws_ami.ubuntu} give {@code aws_instance} and {@code aws_ami}.
   */
  static String resourceType(String address) {
    String[] parts = address.split("\\.");
    int i = 0;
    while (i + 1 < parts.length && parts[i].equals("module")) {
      i += 2;
    }
    if (i < parts.length && parts[i].equals("data")) {
      i++;
    }
    return i < parts.length ? parts[i] : address;
  }
}
