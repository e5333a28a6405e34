package io.prebuilds.reconcile;

/**
 * What an inventory snapshot corrected.
 *
 * @param adopted workspaces the provisioner has that we did not know
 * @param updated workspaces whose newer build we had missed
 * @param forgotten workspaces we knew that the provisioner no longer has (phantoms)
 */
public record InventoryDiff(int adopted, int updated, int forgotten) {

  /** Whether the snapshot matched what we knew. */
  public boolean unchanged() {
    return adopted == 0 && updated == 0 && forgotten == 0;
  }
}
