package io.prebuilds.topology;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.reconcile.Action;
import io.prebuilds.reconcile.Applied;
import io.prebuilds.reconcile.ClaimDecision;
import io.prebuilds.reconcile.ClaimSelection;
import io.prebuilds.reconcile.CommandIds;
import io.prebuilds.reconcile.Decision;
import io.prebuilds.reconcile.EventOutcome;
import io.prebuilds.reconcile.Prebuild;
import io.prebuilds.reconcile.PresetDefinition;
import io.prebuilds.reconcile.PresetState;
import io.prebuilds.reconcile.Reconciler;
import io.prebuilds.reconcile.Trigger;
import io.prebuilds.schemas.Decoded;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.AgentStatusChanged;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildEvent;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimResult;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.NoPrebuildReason;
import io.prebuilds.schemas.event.PresetSnapshot;

/**
 * The single writer of each preset: joins definitions, builds and claims into the preset state
 * store, calls the decision core, and forwards what it decided.
 *
 * <p>Thin by design: it loads, calls the core, stores and emits; every rule lives in {@code
 * io.prebuilds.reconcile}. {@code now} is always wall-clock processing time, never a record
 * timestamp. Timer-driven decisions use the due time stored in the index as their trigger, so a
 * replay after failover produces the same command ids.
 */
final class PresetReconciler implements Processor<String, PresetInput, String, Outbound> {

  private static final Logger log = LoggerFactory.getLogger(PresetReconciler.class);
  private static final byte[] SEEN = {1};

  private final TopologySettings settings;
  private final EventCodec codec;
  private final TopologyMetrics metrics;

  private ProcessorContext<String, Outbound> context;
  private KeyValueStore<String, StoredPreset> presets;
  private DueIndex dueIndex;
  private WindowStore<String, byte[]> seenEvents;
  private WindowStore<String, byte[]> claimResults;

  PresetReconciler(TopologySettings settings, EventCodec codec, TopologyMetrics metrics) {
    this.settings = settings;
    this.codec = codec;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Outbound> context) {
    this.context = context;
    this.presets = context.getStateStore(PrebuildsTopology.PRESET_STATE_STORE);
    this.dueIndex = new DueIndex(context.getStateStore(PrebuildsTopology.DUE_INDEX_STORE));
    this.seenEvents = context.getStateStore(PrebuildsTopology.SEEN_EVENTS_STORE);
    this.claimResults = context.getStateStore(PrebuildsTopology.CLAIM_RESULTS_STORE);
    context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, PresetInput> record) {
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    String presetId = record.key();
    PresetInput input = record.value();
    if (presetId == null || input == null) {
      return;
    }
    String seenKey = presetId + '\n' + input.source() + '\n' + input.id();
    if (seen(seenKey, now)) {
      metrics.duplicateEventDropped(topicOf(input));
      return;
    }
    StoredPreset stored = load(presetId);
    if (input instanceof PresetInput.Definition definition) {
      onDefinition(presetId, stored, definition.update(), now);
    } else if (input instanceof PresetInput.Build build) {
      onBuild(presetId, stored, build.envelope(), now);
    } else if (input instanceof PresetInput.Claim claim) {
      onClaim(presetId, stored, claim.envelope(), now);
    }
    seenEvents.put(seenKey, SEEN, now.toEpochMilli());
  }

  /** Visits the due presets, at most {@code maxPresetsPerTick}; the rest stay due. */
  void tick(long wallClockMillis) {
    Instant now = Instant.ofEpochMilli(wallClockMillis);
    for (DueIndex.Due due : dueIndex.dueAt(now, settings.maxPresetsPerTick())) {
      StoredPreset stored = presets.get(due.presetId());
      if (stored == null) {
        dueIndex.reschedule(due.presetId(), Optional.of(due.dueAt()), Optional.empty());
        continue;
      }
      StoredPreset current = expireParked(due.presetId(), stored, now);
      if (current.defined()) {
        reconcile(due.presetId(), current, Trigger.timer(due.dueAt()), now);
      } else {
        saveUndefined(due.presetId(), current);
      }
    }
  }

  private void onDefinition(
      String presetId, StoredPreset stored, DefinitionUpdate update, Instant now) {
    PresetDefinition definition = update.definition();
    PresetState state =
        stored.defined() ? stored.state().withDefinition(definition) : PresetState.of(definition);
    StoredPreset current = stored.withState(state);
    for (StoredPreset.Parked parked : stored.parked()) {
      current = applyParked(presetId, current, parked, now);
    }
    reconcile(
        presetId,
        current.withParked(List.of()),
        Trigger.event(update.source(), update.eventId()),
        now);
  }

  private StoredPreset applyParked(
      String presetId, StoredPreset stored, StoredPreset.Parked parked, Instant now) {
    Decoded<BuildEvent> decoded = codec.decode(Topics.BUILDS, parked.value());
    if (decoded instanceof Decoded.Accepted<BuildEvent> accepted) {
      return applyBuild(presetId, stored, accepted.envelope(), now);
    }
    return stored;
  }

  private void onBuild(
      String presetId, StoredPreset stored, Envelope<BuildEvent> envelope, Instant now) {
    if (!stored.defined()) {
      park(presetId, stored, envelope, now);
      return;
    }
    StoredPreset applied = applyBuild(presetId, stored, envelope, now);
    if (applied == stored) {
      return;
    }
    reconcile(presetId, applied, Trigger.event(envelope.source(), envelope.id()), now);
  }

  /**
   * Applies a build or agent event to the state, emitting the reinitialization of a claimed
   * workspace when its claim build succeeded. Returns {@code stored} itself when the event was
   * stale (dropped, nothing to decide).
   */
  private StoredPreset applyBuild(
      String presetId, StoredPreset stored, Envelope<BuildEvent> envelope, Instant now) {
    PresetState before = stored.state();
    Applied<EventOutcome> applied;
    if (envelope.data() instanceof BuildCompleted build) {
      applied = before.onBuildCompleted(EventMapping.build(build));
    } else {
      applied =
          before.onAgentStatus(EventMapping.agentStatus((AgentStatusChanged) envelope.data()));
    }
    if (applied.outcome() == EventOutcome.STALE_DROPPED) {
      metrics.staleEventDropped(Topics.BUILDS.name());
      log.atDebug()
          .addKeyValue("presetId", presetId)
          .addKeyValue("eventId", envelope.id())
          .log("stale build event dropped");
      return stored;
    }
    if (applied.outcome() == EventOutcome.CLAIM_BUILD_SUCCEEDED
        && envelope.data() instanceof BuildCompleted build) {
      Prebuild claimed = before.prebuild(build.workspaceId());
      if (claimed != null && claimed.claim() != null) {
        reinitialize(presetId, before.definition(), claimed, envelope, now);
      }
    }
    return stored.withState(applied.state());
  }

  private void reinitialize(
      String presetId,
      PresetDefinition definition,
      Prebuild claimed,
      Envelope<BuildEvent> cause,
      Instant now) {
    String commandId =
        CommandIds.commandId(
            presetId,
            Trigger.event(cause.source(), cause.id()),
            "reinitialize-agent",
            claimed.workspaceId());
    emitCommand(
        presetId,
        EventMapping.reinitialize(
            definition,
            commandId,
            claimed.claim().claimId(),
            claimed.workspaceId(),
            claimed.claim().userId(),
            now),
        now);
  }

  private void park(
      String presetId, StoredPreset stored, Envelope<BuildEvent> envelope, Instant now) {
    List<StoredPreset.Parked> parked = new ArrayList<>(stored.parked());
    parked.add(new StoredPreset.Parked(Topics.BUILDS.name(), codec.encode(envelope), now));
    saveUndefined(presetId, stored.withParked(parked));
    log.atInfo()
        .addKeyValue("presetId", presetId)
        .addKeyValue("eventId", envelope.id())
        .log("event for a preset not defined yet; parked until its definition arrives");
  }

  private StoredPreset expireParked(String presetId, StoredPreset stored, Instant now) {
    Instant oldestKept = now.minus(settings.parkTtl());
    List<StoredPreset.Parked> kept = new ArrayList<>();
    for (StoredPreset.Parked parked : stored.parked()) {
      if (parked.parkedAt().isAfter(oldestKept)) {
        kept.add(parked);
      } else {
        metrics.parkedEventExpired(parked.topic());
        log.atWarn()
            .addKeyValue("presetId", presetId)
            .addKeyValue("parkedAt", parked.parkedAt())
            .log("parked event expired; its preset was never defined");
      }
    }
    return kept.size() == stored.parked().size() ? stored : stored.withParked(kept);
  }

  /** Stores an undefined preset, due when its oldest parked event expires, or forgets it. */
  private void saveUndefined(String presetId, StoredPreset stored) {
    Optional<Instant> due =
        stored.parked().stream()
            .map(p -> p.parkedAt().plus(settings.parkTtl()))
            .min(Instant::compareTo);
    dueIndex.reschedule(presetId, Optional.ofNullable(stored.dueAt()), due);
    if (due.isEmpty()) {
      presets.delete(presetId);
    } else {
      presets.put(presetId, stored.withPublication(due.get(), stored.publishedDigest()));
    }
  }

  private void onClaim(String presetId, StoredPreset stored, Envelope<?> envelope, Instant now) {
    ClaimRequested request = (ClaimRequested) envelope.data();
    byte[] earlier = firstResult(request.claimId(), now);
    if (earlier != null) {
      context.forward(
          new Record<>(
              request.claimId(),
              new Outbound(Topics.CLAIM_RESULTS.name(), earlier),
              now.toEpochMilli()));
      return;
    }
    if (!stored.defined()) {
      answer(
          request.claimId(),
          EventMapping.notClaimed(
              presetId, request.claimId(), NoPrebuildReason.UNKNOWN_PRESET, now),
          now);
      return;
    }
    ClaimDecision decision =
        ClaimSelection.select(stored.state(), EventMapping.claim(request), now);
    if (decision instanceof ClaimDecision.Claimed claimed) {
      PresetDefinition definition = stored.state().definition();
      emitCommand(presetId, EventMapping.claimCommand(definition, claimed, now), now);
      answer(request.claimId(), EventMapping.claimed(presetId, claimed), now);
      log.atInfo()
          .addKeyValue("presetId", presetId)
          .addKeyValue("claimId", claimed.claimId())
          .addKeyValue("workspaceId", claimed.workspaceId())
          .addKeyValue("userId", claimed.userId())
          .log("prebuild claimed");
      reconcile(
          presetId,
          stored.withState(stored.state().onClaimed(claimed)),
          Trigger.event(envelope.source(), envelope.id()),
          now);
    } else {
      ClaimDecision.NotClaimed notClaimed = (ClaimDecision.NotClaimed) decision;
      answer(
          request.claimId(),
          EventMapping.notClaimed(
              presetId, request.claimId(), EventMapping.reason(notClaimed.reason()), now),
          now);
    }
  }

  private byte[] firstResult(String claimId, Instant now) {
    try (WindowStoreIterator<byte[]> it =
        claimResults.fetch(claimId, now.minus(settings.claimRetention()), now)) {
      return it.hasNext() ? it.next().value : null;
    }
  }

  private void answer(String claimId, ClaimResult result, Instant now) {
    byte[] value =
        codec.encode(Envelope.of(settings.source(), "claim-result/" + claimId, now, result));
    claimResults.put(claimId, value, now.toEpochMilli());
    context.forward(
        new Record<>(
            claimId, new Outbound(Topics.CLAIM_RESULTS.name(), value), now.toEpochMilli()));
  }

  /** Decides, stores and emits: the one path every input and timer ends in. */
  private void reconcile(String presetId, StoredPreset stored, Trigger trigger, Instant now) {
    long started = System.nanoTime();
    PresetState state = stored.state();
    Decision decision = Reconciler.decide(state, trigger, now, settings.reconcile());
    metrics.decisionNanos(System.nanoTime() - started);
    PresetState after = state.onDecision(decision, settings.reconcile());
    PresetDefinition definition = after.definition();
    for (Action action : decision.actions()) {
      if (action instanceof Action.CreatePrebuild create) {
        emitCommand(presetId, EventMapping.create(definition, create, now), now);
      } else if (action instanceof Action.DeletePrebuild delete) {
        emitCommand(presetId, EventMapping.delete(definition, delete, now), now);
      } else if (action instanceof Action.CancelPending cancel) {
        emitCommand(presetId, EventMapping.cancel(definition, cancel, now), now);
      } else if (action instanceof Action.Notify notify) {
        notifyAdmins(after, notify, now);
      } else if (action instanceof Action.StatusChange change) {
        log.atWarn()
            .addKeyValue("presetId", presetId)
            .addKeyValue("templateId", definition.templateId())
            .addKeyValue("from", change.from().wireName())
            .addKeyValue("to", change.to().wireName())
            .log(change.reason());
      }
    }
    PresetSnapshot snapshot = EventMapping.snapshot(after, decision, now);
    String digest = digest(snapshot);
    if (!digest.equals(stored.publishedDigest())) {
      publish(
          presetId,
          Topics.PRESET_STATE.name(),
          Envelope.of(settings.source(), presetId + "/" + digest, now, snapshot),
          now);
    }
    dueIndex.reschedule(
        presetId, Optional.ofNullable(stored.dueAt()), Optional.of(decision.nextDueAt()));
    presets.put(presetId, stored.withState(after).withPublication(decision.nextDueAt(), digest));
  }

  private void notifyAdmins(PresetState state, Action.Notify notify, Instant now) {
    int failed = (int) state.createAttempts().stream().filter(a -> a.result().failed()).count();
    var notification = EventMapping.failureLimit(state, notify, failed, now);
    publish(
        notify.notificationId(),
        Topics.NOTIFICATIONS.name(),
        Envelope.of(settings.source(), notify.notificationId(), now, notification),
        now);
    log.atWarn()
        .addKeyValue("presetId", state.presetId())
        .addKeyValue("templateId", state.definition().templateId())
        .addKeyValue("status", notify.status().wireName())
        .log("preset reached its failure limit; template admins notified");
  }

  private void emitCommand(String presetId, Command command, Instant now) {
    metrics.commandEmitted(command.eventType().wire());
    publish(
        command.key(),
        Topics.COMMANDS.name(),
        Envelope.of(settings.source(), command.commandId(), now, command),
        now);
  }

  private void publish(String key, String topic, Envelope<? extends Event> envelope, Instant now) {
    context.forward(
        new Record<>(key, new Outbound(topic, codec.encode(envelope)), now.toEpochMilli()));
  }

  private boolean seen(String key, Instant now) {
    try (WindowStoreIterator<byte[]> it =
        seenEvents.fetch(key, now.minus(settings.dedupeRetention()), now)) {
      return it.hasNext();
    }
  }

  private StoredPreset load(String presetId) {
    StoredPreset stored = presets.get(presetId);
    return stored == null ? StoredPreset.empty() : stored;
  }

  /** Digest of the published content, leaving out what changes without anything happening. */
  private String digest(PresetSnapshot snapshot) {
    PresetSnapshot stable =
        new PresetSnapshot(
            snapshot.presetId(),
            snapshot.presetName(),
            snapshot.templateId(),
            snapshot.templateName(),
            snapshot.templateVersionId(),
            snapshot.organizationId(),
            snapshot.organizationName(),
            snapshot.active(),
            snapshot.status(),
            snapshot.quarantined(),
            snapshot.paused(),
            snapshot.desired(),
            snapshot.running(),
            snapshot.eligible(),
            snapshot.starting(),
            snapshot.stopping(),
            snapshot.deleting(),
            snapshot.expired(),
            snapshot.extraneous(),
            snapshot.timedOut(),
            snapshot.backoffUntil(),
            Optional.empty(),
            snapshot.counters(),
            snapshot.explanation(),
            Instant.EPOCH);
    byte[] bytes = codec.encode(Envelope.of(settings.source(), "digest", Instant.EPOCH, stable));
    return sha256(bytes).substring(0, 16);
  }

  private static String topicOf(PresetInput input) {
    if (input instanceof PresetInput.Definition) {
      return Topics.TEMPLATES.name();
    }
    return input instanceof PresetInput.Claim ? Topics.CLAIMS.name() : Topics.BUILDS.name();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
