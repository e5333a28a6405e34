package io.prebuilds.topology;

import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.event.Event;

/**
 * Everything the preset reconciler consumes, as one closed set, so a single processor (the preset's
 * single writer) sees every input of the preset in partition order.
 */
sealed interface PresetInput {

  /** The CloudEvents source of the input, half of its identity for dedupe and command ids. */
  String source();

  /** The CloudEvents id of the input. */
  String id();

  /** The topic the input came from, for metrics. */
  String topic();

  /** A definition (or an organization that has presets) from the template fan-out. */
  record Definition(DefinitionUpdate update, String topic) implements PresetInput {
    @Override
    public String source() {
      return update.source();
    }

    @Override
    public String id() {
      return update.eventId();
    }
  }

  /** A validated event from one of the preset-keyed input topics. */
  record Received(Envelope<? extends Event> envelope, String topic) implements PresetInput {
    @Override
    public String source() {
      return envelope.source();
    }

    @Override
    public String id() {
      return envelope.id();
    }
  }
}
