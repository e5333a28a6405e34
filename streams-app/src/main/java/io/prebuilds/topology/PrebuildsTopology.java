package io.prebuilds.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.EventSerdes;
import io.prebuilds.schemas.StateSerde;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.Event;

/**
 * Builds the prebuilds topology.
 *
 * <pre>
 *   templates ──► template-fanout ──► preset-definitions (repartition, co-partitioned)
 *                                           │
 *   builds, claims, inventory, ─────────────┼──► preset-reconciler ──► commands, claim-results,
 *   plan-drift, control,                    │     (preset state,         notifications,
 *   command-results ────────────────────────┘      due index, dedupe,     preset-state
 *                                                  claim results,
 *   settings ──► global store "settings" ┄┄┄┄┄┄┄┄┄┄ memberships)
 *                                                        │ creates, deletes, cancels, releases
 *                                                        ▼ (key org:<id>)
 *                                   admission (repartition) ──► admission-stage ──► commands,
 *                                                                (budget per     command-results
 *                                                                organization)   (dispatched /
 *                                                                                withdrawn, back
 *                                                                                to the reconciler)
 * </pre>
 *
 * Every store, changelog and repartition topic has an explicit name, so internal topic names never
 * change when the topology evolves ({@code ensure.explicit.internal.resource.naming}). Input values
 * are validated by the source deserializers, so an invalid record fails in the first sub-topology
 * and the DLQ names the producer's topic.
 */
public final class PrebuildsTopology {

  public static final String TEMPLATE_PRESETS_STORE = "template-presets";
  public static final String PRESET_STATE_STORE = "preset-state";
  public static final String DUE_INDEX_STORE = "due-index";
  public static final String SEEN_EVENTS_STORE = "seen-events";
  public static final String CLAIM_RESULTS_STORE = "claim-results";
  public static final String MEMBERSHIPS_STORE = "memberships";
  public static final String SETTINGS_STORE = "settings";
  public static final String DEFINITIONS_REPARTITION = "preset-definitions";
  public static final String ADMISSION_REPARTITION = "admission";
  public static final String ADMISSION_QUEUE_STORE = "admission-queue";
  public static final String ADMISSION_COMMANDS_STORE = "admission-commands";
  public static final String ADMISSION_DEADLINES_STORE = "admission-deadlines";
  public static final String ADMISSION_ORGANIZATIONS_STORE = "admission-organizations";
  public static final String ADMISSION_DEMANDS_STORE = "admission-demands";

  /**
   * The topics whose events the reconciler reads as they are (template snapshots are fanned out).
   */
  private static final List<TopicSpec<? extends Event>> EVENT_INPUTS =
      List.of(
          Topics.BUILDS,
          Topics.CLAIMS,
          Topics.INVENTORY,
          Topics.PLAN_DRIFT,
          Topics.CONTROL,
          Topics.COMMAND_RESULTS);

  /**
   * The topics the reconciler drops repeated events of (by source and id), as its metrics name
   * them: the event inputs, and template snapshots for the definitions fanned out of them.
   */
  public static List<String> dedupedTopics() {
    List<String> names = new ArrayList<>();
    names.add(Topics.TEMPLATES.name());
    EVENT_INPUTS.forEach(topic -> names.add(topic.name()));
    return List.copyOf(names);
  }

  private PrebuildsTopology() {}

  /**
   * The Kafka Streams settings the topology relies on: invalid input goes to the dead-letter topic
   * through {@link DeadLetterHandler}, and every internal resource must be named explicitly.
   */
  public static Map<String, Object> requiredStreamsConfig(TopologyMetrics metrics) {
    return Map.of(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterHandler.class,
        StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
        Topics.DLQ.name(),
        StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG,
        true,
        DeadLetterHandler.METRICS_CONFIG,
        metrics);
  }

  public static Topology build(TopologySettings settings, TopologyMetrics metrics) {
    return build(settings, metrics, RebuildGate.none());
  }

  /**
   * The topology for a start that may be a rebuild: input already in the topics at start-up only
   * rebuilds state, and ticks wait until a task has caught up ({@link RebuildGate}).
   */
  public static Topology build(
      TopologySettings settings, TopologyMetrics metrics, RebuildGate rebuild) {
    EventCodec codec = EventCodec.withMaxBytes(settings.maxEventBytes());
    StreamsBuilder builder = new StreamsBuilder();
    addStores(builder, settings);
    addAdmissionStores(builder);
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(SETTINGS_STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        Topics.SETTINGS.name(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("settings-source"),
        () -> new SettingsUpdater(codec));

    KStream<String, PresetInput> inputs =
        builder.stream(
                Topics.TEMPLATES.name(),
                Consumed.with(Serdes.String(), EventSerdes.forTopic(Topics.TEMPLATES, codec))
                    .withName("templates-source"))
            .process(
                () -> new TemplateFanout(rebuild),
                Named.as("template-fanout"),
                TEMPLATE_PRESETS_STORE)
            .repartition(
                Repartitioned.with(Serdes.String(), definitionSerde())
                    .withName(DEFINITIONS_REPARTITION)
                    .withNumberOfPartitions(settings.partitions()))
            .mapValues(
                update -> (PresetInput) new PresetInput.Definition(update, Topics.TEMPLATES.name()),
                Named.as("definition-input"));
    for (TopicSpec<? extends Event> topic : EVENT_INPUTS) {
      inputs = inputs.merge(received(builder, topic, codec), Named.as("merge-" + shortName(topic)));
    }
    // one budget for every reconciler task of the instance, whatever its thread count
    DecisionPacer pacer = DecisionPacer.of(settings);
    KStream<String, Outbound> decided =
        inputs.process(
            () -> new PresetReconciler(settings, codec, metrics, rebuild, pacer),
            Named.as("preset-reconciler"),
            PRESET_STATE_STORE,
            DUE_INDEX_STORE,
            SEEN_EVENTS_STORE,
            CLAIM_RESULTS_STORE,
            MEMBERSHIPS_STORE);
    decided
        .filter((key, outbound) -> !outbound.admission(), Named.as("not-for-admission"))
        .to(
            (key, outbound, context) -> outbound.topic(),
            Produced.with(Serdes.String(), Outbound.SERDE).withName("outputs"));
    decided
        .filter((key, outbound) -> outbound.admission(), Named.as("for-admission"))
        .mapValues(Outbound::value, Named.as("admission-bytes"))
        .repartition(
            Repartitioned.with(Serdes.String(), Serdes.ByteArray())
                .withName(ADMISSION_REPARTITION)
                .withNumberOfPartitions(settings.partitions()))
        .mapValues(
            bytes -> AdmissionRecord.SERDE.deserializer().deserialize(ADMISSION_REPARTITION, bytes),
            Named.as("admission-record"))
        .process(
            () -> new AdmissionStage(settings, codec, metrics),
            Named.as("admission-stage"),
            ADMISSION_QUEUE_STORE,
            ADMISSION_COMMANDS_STORE,
            ADMISSION_DEADLINES_STORE,
            ADMISSION_ORGANIZATIONS_STORE,
            ADMISSION_DEMANDS_STORE)
        .to(
            (key, outbound, context) -> outbound.topic(),
            Produced.with(Serdes.String(), Outbound.SERDE).withName("admitted-outputs"));
    return builder.build();
  }

  private static <T extends Event> KStream<String, PresetInput> received(
      StreamsBuilder builder, TopicSpec<T> topic, EventCodec codec) {
    String name = shortName(topic);
    return builder.stream(
            topic.name(),
            Consumed.with(Serdes.String(), EventSerdes.forTopic(topic, codec))
                .withName(name + "-source"))
        .filter((key, value) -> value != null, Named.as(name + "-not-null"))
        .mapValues(
            envelope -> (PresetInput) new PresetInput.Received(envelope, topic.name()),
            Named.as(name + "-input"));
  }

  /** {@code prebuilds.plan-drift.v1} becomes {@code plan-drift}: names of processors. */
  private static String shortName(TopicSpec<?> topic) {
    return topic.name().replace("prebuilds.", "").replace(".v1", "");
  }

  /** The earliest due time in the due index, for {@code simulate} to step the virtual clock. */
  public static Optional<Instant> earliestDue(KeyValueStore<Bytes, byte[]> dueIndex) {
    return new DueIndex(dueIndex).earliest();
  }

  private static void addStores(StreamsBuilder builder, TopologySettings settings) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TEMPLATE_PRESETS_STORE),
            Serdes.String(),
            StateSerde.builder(TemplatePresets.class, 1).build()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(PRESET_STATE_STORE),
            Serdes.String(),
            StateSerde.builder(StoredPreset.class, 1).build()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DUE_INDEX_STORE), Serdes.Bytes(), Serdes.ByteArray()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(MEMBERSHIPS_STORE),
            Serdes.String(),
            StateSerde.builder(Membership.class, 1).build()));
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                SEEN_EVENTS_STORE, settings.dedupeRetention(), settings.dedupeRetention(), false),
            Serdes.String(),
            Serdes.ByteArray()));
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                CLAIM_RESULTS_STORE, settings.claimRetention(), settings.claimRetention(), false),
            Serdes.String(),
            Serdes.ByteArray()));
  }

  /**
   * The admission stage's stores keep Kafka Streams' record cache: an organization's counts change
   * with every request, and a command often moves through queued, dispatched and released within
   * one commit interval, so the cache sends one changelog record per key and commit instead of one
   * per change.
   */
  private static void addAdmissionStores(StreamsBuilder builder) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ADMISSION_QUEUE_STORE),
                Serdes.String(),
                StateSerde.builder(AdmissionEntries.Queued.class, 1).build())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ADMISSION_COMMANDS_STORE),
                Serdes.String(),
                StateSerde.builder(AdmissionEntries.Admitted.class, 1).build())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ADMISSION_DEADLINES_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ADMISSION_ORGANIZATIONS_STORE),
                Serdes.String(),
                StateSerde.builder(AdmissionEntries.Counts.class, 1).build())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ADMISSION_DEMANDS_STORE),
                Serdes.String(),
                StateSerde.builder(AdmissionEntries.Demands.class, 1).build())
            .withCachingEnabled());
  }

  /** Version 2 added {@code historic} (rebuilds); version 1 records were never historic. */
  private static Serde<DefinitionUpdate> definitionSerde() {
    return StateSerde.builder(DefinitionUpdate.class, 2)
        .migration(1, json -> json.put("historic", false))
        .build();
  }
}
