package io.prebuilds.runtime.demo;

import java.time.Instant;

import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.TopicSpec;

/**
 * An event the demo publishes at {@code at} (a build finishes a few seconds after its command). The
 * record key is the envelope's subject.
 */
public record Outgoing(Instant at, TopicSpec<?> topic, Envelope<?> envelope) {}
