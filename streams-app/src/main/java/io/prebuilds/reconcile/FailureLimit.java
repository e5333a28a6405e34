package io.prebuilds.reconcile;

import java.util.List;

/** When repeated create failures stop a preset's creates. */
final class FailureLimit {

  private FailureLimit() {}

  /**
   * The status the preset's create attempts put it in. A status other than normal is kept until a
   * reset; from normal, any validation failure means {@code validation_failed}, and the last {@code
   * failureHardLimit} attempts all failing means {@code hard_limited}.
   */
  static PresetStatus reached(PresetState state, ReconcileConfig config) {
    if (state.status() != PresetStatus.NORMAL) {
      return state.status();
    }
    List<CreateAttempt> attempts = state.createAttempts();
    for (CreateAttempt attempt : attempts) {
      if (attempt.result() == CreateAttempt.Result.VALIDATION_FAILED) {
        return PresetStatus.VALIDATION_FAILED;
      }
    }
    int limit = config.failureHardLimit();
    if (limit == 0 || attempts.size() < limit) {
      return PresetStatus.NORMAL;
    }
    for (int i = attempts.size() - limit; i < attempts.size(); i++) {
      if (!attempts.get(i).result().failed()) {
        return PresetStatus.NORMAL;
      }
    }
    return PresetStatus.HARD_LIMITED;
  }

  static String describe(PresetStatus status, ReconcileConfig config) {
    return switch (status) {
      case NORMAL -> "creates resumed";
      case HARD_LIMITED ->
          "hard limit reached: the last "
              + config.failureHardLimit()
              + " create builds failed; creates stop (deletes go on) until the preset is reset or"
              + " a new template version is published";
      case VALIDATION_FAILED ->
          "validation failed: a create was refused before any workspace existed, so retrying"
              + " cannot help; creates stop until the preset is reset or a new template version"
              + " is published";
    };
  }
}
