package io.prebuilds.schemas.event;

/** What topic {@code prebuilds.inventory.v1} carries. */
public sealed interface InventoryEvent extends Event permits InventorySnapshot {}
