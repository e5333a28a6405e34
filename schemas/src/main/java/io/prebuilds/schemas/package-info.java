/**
 * The event contract that provisioners, control planes and workers code against. Everything that
 * names a topic, parses an event or validates one lives here, so there is one home for the
 * contract.
 */
package io.prebuilds.schemas;
