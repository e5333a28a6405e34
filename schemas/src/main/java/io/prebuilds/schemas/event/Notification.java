package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.List;

/**
 * A message for people, keyed by notification id (deterministic, so a replay does not notify
 * twice). Recipients are the template's admins (and, for a failed claim, the claiming user).
 */
public sealed interface Notification extends Event
    permits ClaimBuildFailed, FailureLimitReached, ResourceReplacements {

  String notificationId();

  String presetId();

  String templateId();

  String organizationId();

  List<UserRef> recipients();

  Instant createdAt();

  /** Also written to JSON, so the read model and mailers need not map types. */
  NotificationKind kind();

  @Override
  default String key() {
    return notificationId();
  }
}
