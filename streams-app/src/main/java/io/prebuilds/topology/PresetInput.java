package io.prebuilds.topology;

import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.event.BuildEvent;
import io.prebuilds.schemas.event.ClaimEvent;

/**
 * Everything the preset reconciler consumes, as one closed set so a single processor (the preset's
 * single writer) sees every input of the preset in partition order.
 */
sealed interface PresetInput {

  /** The CloudEvents source of the input, half of its identity for dedupe and command ids. */
  String source();

  /** The CloudEvents id of the input. */
  String id();

  /** A definition from the template fan-out. */
  record Definition(DefinitionUpdate update) implements PresetInput {
    @Override
    public String source() {
      return update.source();
    }

    @Override
    public String id() {
      return update.eventId();
    }
  }

  /** A build finished, or an agent reported its status. */
  record Build(Envelope<BuildEvent> envelope) implements PresetInput {
    @Override
    public String source() {
      return envelope.source();
    }

    @Override
    public String id() {
      return envelope.id();
    }
  }

  /** A user wants a workspace of the preset. */
  record Claim(Envelope<ClaimEvent> envelope) implements PresetInput {
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
