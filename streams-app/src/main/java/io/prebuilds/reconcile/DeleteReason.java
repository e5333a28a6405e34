package io.prebuilds.reconcile;

/** Why a prebuild is deleted. The wire names are part of the commands contract. */
public enum DeleteReason {
  /** Older than the preset's TTL, or created before the preset was invalidated. */
  EXPIRED("expired"),
  /** More prebuilds run than the preset wants; the oldest go first. */
  EXTRANEOUS("extraneous"),
  /** Its template version is no longer active, or the template is deprecated. */
  OUTDATED("outdated"),
  /** The template was deleted. */
  TEMPLATE_DELETED("template-deleted"),
  /** It was stopped (e.g. by an autostop) and would never be claimed. */
  STOPPED("stopped"),
  /** Its latest build failed; the newest few are kept for inspection. */
  FAILED("failed"),
  /** Its latest build was canceled. */
  CANCELED("canceled");

  private final String wireName;

  DeleteReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
