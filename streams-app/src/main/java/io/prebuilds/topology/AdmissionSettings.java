package io.prebuilds.topology;

/**
 * How the admission stage limits prebuild commands (see {@code docs/backpressure.md}).
 *
 * @param budget dispatched prebuild creates and deletes per organization at most; 0 = unlimited
 */
public record AdmissionSettings(int budget) {

  /** Ten dispatched commands per organization. */
  public static final AdmissionSettings DEFAULTS = new AdmissionSettings(10);

  public AdmissionSettings {
    if (budget < 0) {
      throw new IllegalArgumentException(
          "admission budget must be >= 0 (0 = unlimited), got " + budget);
    }
  }
}
