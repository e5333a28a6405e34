package io.prebuilds.reconcile;

import java.time.Duration;

/**
 * The template's lifecycle settings for workspaces its users own. Prebuilds carry none of them
 * (they would autostop or go dormant while waiting); a claimed workspace receives them at claim
 * time.
 *
 * @param autostartSchedule the template's default autostart cron, or null for none
 * @param autostopTtl how long a started workspace stays up; {@link Duration#ZERO} for no autostop
 */
public record LifecycleDefaults(String autostartSchedule, Duration autostopTtl) {

  /** No autostart and no autostop. */
  public static final LifecycleDefaults NONE = new LifecycleDefaults(null, Duration.ZERO);

  public LifecycleDefaults {
    autostopTtl = autostopTtl == null ? Duration.ZERO : autostopTtl;
    if (autostopTtl.isNegative()) {
      throw new IllegalArgumentException("autostopTtl must not be negative, got " + autostopTtl);
    }
  }
}
