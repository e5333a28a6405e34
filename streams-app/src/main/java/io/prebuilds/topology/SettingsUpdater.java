package io.prebuilds.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.schemas.Decoded;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.SettingsEvent;

/**
 * Keeps the global settings store in step with the compacted settings topic on every instance. A
 * value that does not validate is ignored with a warning, so a bad write can never pause or resume
 * the fleet by accident; the previous setting stays in force.
 */
final class SettingsUpdater implements Processor<String, byte[], Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(SettingsUpdater.class);

  private final EventCodec codec;
  private KeyValueStore<String, byte[]> store;

  SettingsUpdater(EventCodec codec) {
    this.codec = codec;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(PrebuildsTopology.SETTINGS_STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
      return;
    }
    Decoded<SettingsEvent> decoded = codec.decode(Topics.SETTINGS, record.value());
    if (decoded instanceof Decoded.Rejected<SettingsEvent> rejected) {
      log.atWarn()
          .addKeyValue("key", record.key())
          .addKeyValue("reason", rejected.error().kind().name())
          .log("invalid settings record ignored: {}", rejected.error().message());
      return;
    }
    store.put(record.key(), record.value());
  }
}
