/**
 * The event types of the contract: one immutable record per CloudEvents {@code type}, grouped by
 * topic into sealed interfaces so consumers can switch over what a topic may carry exhaustively.
 * Field names are the JSON field names; optional fields are {@code Optional*} and omitted from JSON
 * when empty.
 */
package io.prebuilds.schemas.event;
