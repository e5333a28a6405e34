package io.prebuilds.reconcile;

/**
 * The share of its organization's capacity cap a preset may hold (running + in flight), as the
 * admission stage computed it with {@link CapacityShare}. A preset without one is uncapped.
 *
 * @param prebuilds how many prebuilds the preset may hold at most
 * @param cap the organization's cap
 * @param presets how many presets share the cap (those with a desired count above zero)
 */
public record Allowance(int prebuilds, int cap, int presets) {

  public Allowance {
    if (prebuilds < 0 || cap < 0 || presets < 0) {
      throw new IllegalArgumentException(
          "allowance fields must be >= 0, got prebuilds "
              + prebuilds
              + ", cap "
              + cap
              + ", presets "
              + presets);
    }
  }
}
