package io.prebuilds.topology;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.reconcile.PresetDefinition;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.event.Keys;
import io.prebuilds.schemas.event.TemplateEvent;
import io.prebuilds.schemas.event.TemplateSnapshot;

/**
 * Turns a template snapshot (keyed by template) into one definition per preset (keyed by preset).
 *
 * <p>Only changed definitions are sent on, so an unchanged re-published snapshot costs the presets
 * nothing. A preset that disappeared from the snapshot, or every preset of a deleted template
 * (tombstone), gets an inactive definition so its pool drains.
 */
final class TemplateFanout
    implements Processor<String, Envelope<TemplateEvent>, String, DefinitionUpdate> {

  private static final Logger log = LoggerFactory.getLogger(TemplateFanout.class);
  static final String TOMBSTONE_SOURCE = "prebuilds-streams/template-tombstone";

  private final RebuildGate rebuild;
  private ProcessorContext<String, DefinitionUpdate> context;
  private KeyValueStore<String, TemplatePresets> store;
  private boolean historic;

  TemplateFanout(RebuildGate rebuild) {
    this.rebuild = rebuild;
  }

  @Override
  public void init(ProcessorContext<String, DefinitionUpdate> context) {
    this.context = context;
    this.store = context.getStateStore(PrebuildsTopology.TEMPLATE_PRESETS_STORE);
  }

  @Override
  public void process(Record<String, Envelope<TemplateEvent>> record) {
    String templateId = record.key();
    historic = rebuild.historic(context.recordMetadata());
    TemplatePresets previous = store.get(templateId);
    Map<String, PresetDefinition> before = previous == null ? Map.of() : previous.definitions();
    if (record.value() == null) {
      String eventId = templateId + "@" + context.recordMetadata().map(m -> m.offset()).orElse(-1L);
      before
          .values()
          .forEach(d -> send(record, EventMapping.withdrawn(d, true), TOMBSTONE_SOURCE, eventId));
      store.delete(templateId);
      log.atInfo()
          .addKeyValue("templateId", templateId)
          .addKeyValue("presets", before.size())
          .log("template deleted; its presets drain");
      return;
    }
    Envelope<TemplateEvent> envelope = record.value();
    TemplateSnapshot snapshot = (TemplateSnapshot) envelope.data();
    Map<String, PresetDefinition> after = new HashMap<>();
    for (PresetDefinition definition : EventMapping.definitions(snapshot)) {
      after.put(definition.presetId(), definition);
      if (!definition.equals(before.get(definition.presetId()))) {
        send(record, definition, envelope.source(), envelope.id());
      }
    }
    if (!after.isEmpty()) {
      context.forward(
          new Record<>(
              Keys.organization(snapshot.organizationId()),
              DefinitionUpdate.organizationHasPresets(
                  snapshot.organizationId(), envelope.source(), envelope.id(), historic),
              record.timestamp()));
    }
    before.forEach(
        (presetId, definition) -> {
          if (!after.containsKey(presetId)) {
            send(
                record,
                EventMapping.withdrawn(definition, false),
                envelope.source(),
                envelope.id());
          }
        });
    store.put(templateId, new TemplatePresets(after));
  }

  private void send(
      Record<String, Envelope<TemplateEvent>> cause,
      PresetDefinition definition,
      String source,
      String eventId) {
    context.forward(
        new Record<>(
            definition.presetId(),
            DefinitionUpdate.of(definition, source, eventId, historic),
            cause.timestamp()));
  }
}
