package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.Objects;

/**
 * The admission stage shared its organization's capacity cap anew and this preset's share changed:
 * the preset holds at most {@code allowance} prebuilds (running + in flight). Sent only for
 * organizations with a cap ({@code prebuilds.capacity.caps}); see {@code docs/backpressure.md}.
 *
 * @param allowance the preset's share of the cap, never above its desired count
 * @param cap the organization's cap
 * @param presets how many of the organization's presets ask for prebuilds and share the cap
 */
public record CapacityAllowance(
    String presetId, String organizationId, int allowance, int cap, int presets, Instant decidedAt)
    implements CommandResultEvent {

  public CapacityAllowance {
    Objects.requireNonNull(presetId, "presetId");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(decidedAt, "decidedAt");
    if (allowance < 0 || cap < 0 || presets < 0) {
      throw new IllegalArgumentException(
          "capacity allowance of preset " + presetId + ": allowance, cap and presets must be >= 0");
    }
  }

  @Override
  public String key() {
    return presetId;
  }
}
