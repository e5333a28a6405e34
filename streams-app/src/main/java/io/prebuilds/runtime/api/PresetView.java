package io.prebuilds.runtime.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.prebuilds.topology.StoredPreset;

/**
 * One preset as the API and the status page show it: the last published read-model record (names,
 * counts, status, explanation) plus what only the owner knows (quarantine reason, due time) and
 * which instance answered. Times are RFC 3339 strings or null, so the JSON needs no custom mapper
 * and instances can pass views to each other unchanged.
 *
 * @param status the preset's status ({@code normal}, {@code hard_limited}, {@code
 *     validation_failed}), or {@code error} while it is quarantined (processing it failed)
 * @param owner the {@code application.server} of the instance that owns the preset, or "local"
 * @param quarantineReason why processing the preset failed, or null when healthy
 */
public record PresetView(
    String presetId,
    String presetName,
    String templateId,
    String templateName,
    String templateVersionId,
    String organizationId,
    String organizationName,
    boolean active,
    String status,
    boolean quarantined,
    String quarantineReason,
    boolean paused,
    int desired,
    int running,
    int eligible,
    int starting,
    int stopping,
    int deleting,
    int expired,
    int extraneous,
    int timedOut,
    String backoffUntil,
    String nextDueAt,
    Counters counters,
    List<String> explanation,
    String updatedAt,
    String owner) {

  static final String ERROR_STATUS = "error";

  public PresetView {
    explanation = explanation == null ? List.of() : List.copyOf(explanation);
  }

  /** Lifetime totals, never going down. */
  public record Counters(
      long createdTotal, long failedTotal, long claimedTotal, long resourceReplacementsTotal) {}

  /** The view of a stored preset, or empty while it waits for its definition (nothing decided). */
  static Optional<PresetView> of(StoredPreset stored, String owner) {
    var s = stored.snapshot();
    if (s == null) {
      return Optional.empty();
    }
    var quarantine = stored.quarantine();
    boolean quarantined = quarantine != null || s.quarantined();
    return Optional.of(
        new PresetView(
            s.presetId(),
            s.presetName(),
            s.templateId(),
            s.templateName(),
            s.templateVersionId(),
            s.organizationId(),
            s.organizationName(),
            s.active(),
            quarantined ? ERROR_STATUS : s.status().wire(),
            quarantined,
            quarantine == null ? null : quarantine.reason(),
            s.paused(),
            s.desired(),
            s.running(),
            s.eligible(),
            s.starting(),
            s.stopping(),
            s.deleting(),
            s.expired(),
            s.extraneous(),
            s.timedOut(),
            text(s.backoffUntil()),
            text(stored.dueAt() == null ? s.nextDueAt() : Optional.of(stored.dueAt())),
            new Counters(
                s.counters().createdTotal(),
                s.counters().failedTotal(),
                s.counters().claimedTotal(),
                s.counters().resourceReplacementsTotal()),
            s.explanation(),
            s.updatedAt().toString(),
            owner));
  }

  private static String text(Optional<Instant> instant) {
    return instant.map(Instant::toString).orElse(null);
  }
}
