/**
 * The reconciliation decision core: pure Java, no Kafka, no clock, no I/O.
 *
 * <p>How the topology uses it, per preset (keyed by preset id):
 *
 * <ol>
 *   <li>Template snapshot: {@link io.prebuilds.reconcile.PresetState#of} for a new preset, else
 *       {@link io.prebuilds.reconcile.PresetState#withDefinition}.
 *   <li>Inputs: {@code onBuildCompleted}, {@code onAgentStatus}, {@code onInventory}, {@code
 *       onCommandResult}, {@code onResourceReplacements}, {@code invalidate}, {@code reset}. Each
 *       returns the new state, and where it matters an {@link io.prebuilds.reconcile.Applied}
 *       outcome to count or act on ({@code CLAIM_BUILD_SUCCEEDED}: emit "reinitialize agent").
 *   <li>Then decide: copy the global pause setting in with {@code withPaused}, call {@link
 *       io.prebuilds.reconcile.Reconciler#decide} with the input's {@link
 *       io.prebuilds.reconcile.Trigger} (or {@link io.prebuilds.reconcile.Trigger#timer} for a due
 *       time) and the wall-clock {@code now}; emit its create, delete and cancel actions as
 *       commands and its notify actions as notifications; store {@link
 *       io.prebuilds.reconcile.PresetState#onDecision}; index the preset under {@link
 *       io.prebuilds.reconcile.Decision#nextDueAt}; publish the diagnostics as the preset state.
 *   <li>Claims: {@link io.prebuilds.reconcile.ClaimSelection#select}, then {@link
 *       io.prebuilds.reconcile.PresetState#onClaimed} for a {@code Claimed} answer.
 *   <li>When {@link io.prebuilds.reconcile.PresetState#isDrained} holds, the preset's state can be
 *       dropped (tombstone on the preset-state topic).
 * </ol>
 *
 * <p>An architecture test keeps this package free of every dependency but the JDK.
 */
package io.prebuilds.reconcile;
