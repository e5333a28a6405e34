package io.prebuilds.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.drift.ReplacementRule;
import io.prebuilds.reconcile.Action;
import io.prebuilds.reconcile.Allowance;
import io.prebuilds.reconcile.Applied;
import io.prebuilds.reconcile.ClaimDecision;
import io.prebuilds.reconcile.ClaimSelection;
import io.prebuilds.reconcile.CommandIds;
import io.prebuilds.reconcile.CommandResult;
import io.prebuilds.reconcile.CommandStart;
import io.prebuilds.reconcile.Decision;
import io.prebuilds.reconcile.DesiredInstances;
import io.prebuilds.reconcile.EventOutcome;
import io.prebuilds.reconcile.InFlightCommand;
import io.prebuilds.reconcile.InventoryDiff;
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
import io.prebuilds.schemas.event.CapacityAllowance;
import io.prebuilds.schemas.event.ClaimEvent;
import io.prebuilds.schemas.event.ClaimFailed;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimResult;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.InvalidatePreset;
import io.prebuilds.schemas.event.InventorySnapshot;
import io.prebuilds.schemas.event.Keys;
import io.prebuilds.schemas.event.NoPrebuildReason;
import io.prebuilds.schemas.event.Notification;
import io.prebuilds.schemas.event.PlanDriftDetected;
import io.prebuilds.schemas.event.PresetSnapshot;
import io.prebuilds.schemas.event.Replacement;
import io.prebuilds.schemas.event.ResetPreset;

/**
 * The single writer of each preset: joins definitions, builds, claims, inventory, plan drift,
 * operator control and command results into the preset state store, calls the decision core, and
 * forwards what it decided.
 *
 * <p>Thin by design: it loads, calls the core, stores and emits; every rule lives in {@code
 * io.prebuilds.reconcile}. {@code now} is always wall-clock processing time, never a record
 * timestamp. Timer-driven decisions use the due time stored in the index as their trigger, so a
 * replay after failover produces the same command ids.
 *
 * <p>Each input is handled as a unit: outputs are held back until the preset's new state is stored,
 * so an exception part way through emits nothing and quarantines the preset (retried with backoff)
 * instead of failing the stream thread and blocking every other preset.
 */
final class PresetReconciler implements Processor<String, PresetInput, String, Outbound> {

  private static final Logger log = LoggerFactory.getLogger(PresetReconciler.class);
  private static final byte[] SEEN = {1};
  private static final Duration FIRST_RETRY = Duration.ofSeconds(30);
  private static final Duration LAST_RETRY = Duration.ofHours(1);
  private static final String ORGANIZATION_PREFIX = Keys.organization("");

  private final TopologySettings settings;
  private final EventCodec codec;
  private final TopologyMetrics metrics;
  private final RebuildGate rebuild;
  private final DecisionPacer pacer;
  private final List<Record<String, Outbound>> pending = new ArrayList<>();

  private ProcessorContext<String, Outbound> context;
  private CachedStore<String, StoredPreset> presets;
  private KeyValueStore<String, Membership> memberships;
  private GlobalPause pause;
  private DueIndex dueIndex;
  private WindowStore<String, byte[]> seenEvents;
  private WindowStore<String, byte[]> claimResults;
  private ChangelogAnchor anchor;
  private boolean paused;

  /** The task has not caught up with the input as it was at start-up: its ticks wait. */
  private boolean rebuilding;

  /** The input being handled is historic: it rebuilds state and sends nothing. */
  private boolean replaying;

  /**
   * What the input being handled stored for its preset: null while nothing, empty when it removed
   * the preset. Lets the admission release compare before and after without reading the store.
   */
  private Optional<StoredPreset> saved;

  /** Wall-clock time of the input or tick being handled. */
  private Instant processedAt;

  /** A processor that never rebuilds, pacing on its own, for benchmarks that drive it directly. */
  PresetReconciler(TopologySettings settings, EventCodec codec, TopologyMetrics metrics) {
    this(settings, codec, metrics, RebuildGate.none(), DecisionPacer.of(settings));
  }

  /**
   * @param pacer the instance's budget of timer and definition decisions, shared by its tasks
   */
  PresetReconciler(
      TopologySettings settings,
      EventCodec codec,
      TopologyMetrics metrics,
      RebuildGate rebuild,
      DecisionPacer pacer) {
    this.settings = settings;
    this.codec = codec;
    this.metrics = metrics;
    this.rebuild = rebuild;
    this.pacer = pacer;
  }

  @Override
  public void init(ProcessorContext<String, Outbound> context) {
    this.context = context;
    // a new cache on every init: Kafka Streams initializes again after restoring the store
    this.presets =
        new CachedStore<>(
            context.getStateStore(PrebuildsTopology.PRESET_STATE_STORE), settings.cachedPresets());
    this.memberships = context.getStateStore(PrebuildsTopology.MEMBERSHIPS_STORE);
    this.pause = new GlobalPause(context.getStateStore(PrebuildsTopology.SETTINGS_STORE), codec);
    this.dueIndex = new DueIndex(context.getStateStore(PrebuildsTopology.DUE_INDEX_STORE));
    this.seenEvents = context.getStateStore(PrebuildsTopology.SEEN_EVENTS_STORE);
    this.claimResults = context.getStateStore(PrebuildsTopology.CLAIM_RESULTS_STORE);
    this.anchor = new ChangelogAnchor(List.of(seenEvents, claimResults));
    this.paused = pause.paused();
    this.rebuilding = !rebuild.caughtUp(context.taskId());
    context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  /** The task left this instance (revoked or closed): its due times are another's to report. */
  @Override
  public void close() {
    metrics.earliestDue(context.taskId().toString(), null);
  }

  @Override
  public void process(Record<String, PresetInput> record) {
    String key = record.key();
    PresetInput input = record.value();
    if (key == null || input == null) {
      return;
    }
    processedAt = Instant.ofEpochMilli(context.currentSystemTimeMs());
    replaying =
        input instanceof PresetInput.Definition definition
            ? definition.update().historic()
            : rebuild.historic(context.recordMetadata());
    Instant now = replaying ? originallyProcessedAt(record.timestamp()) : processedAt;
    try {
      String seenKey = key + '\n' + input.source() + '\n' + input.id();
      if (seen(seenKey, now)) {
        metrics.duplicateEventDropped(input.topic());
        return;
      }
      refreshPaused();
      if (key.startsWith(ORGANIZATION_PREFIX)) {
        onOrganization(key, input, now);
      } else {
        guarded(key, now, load(key), stored -> onPresetInput(key, stored, input, now));
      }
      seenEvents.put(seenKey, SEEN, now.toEpochMilli());
    } finally {
      replaying = false;
    }
  }

  /**
   * The {@code now} of a historic input: about when an earlier run handled it, its record's
   * timestamp (never later than the wall clock). Deciding it at that time rather than today keeps
   * what depended on time as it was: a claim within its deadline is honoured again (so the claimed
   * workspace is not taken for a prebuild), backoff and the failure limit see the same window.
   */
  private Instant originallyProcessedAt(long recordTimestamp) {
    return Instant.ofEpochMilli(Math.min(recordTimestamp, processedAt.toEpochMilli()));
  }

  /**
   * Decides the due presets, then tells the metrics what is left due, so the due lag shows presets
   * that wait for a later tick.
   */
  void tick(long wallClockMillis) {
    Instant now = Instant.ofEpochMilli(wallClockMillis);
    processedAt = now;
    anchor.writeOnce(wallClockMillis);
    decideDue(wallClockMillis, now);
    metrics.earliestDue(context.taskId().toString(), dueIndex.earliest().orElse(null));
  }

  /**
   * Visits the due presets, at most {@code maxPresetsPerTick} and what the pacer grants; the rest
   * stay due. After a resume, every preset held by the pause is made due at once.
   */
  private void decideDue(long wallClockMillis, Instant now) {
    if (rebuilding) {
      if (!rebuild.caughtUp(context.taskId())) {
        return;
      }
      rebuilding = false;
      log.atInfo()
          .addKeyValue("task", context.taskId())
          .log(
              "rebuild caught up with the input as it was at start-up; rebuilt presets reconcile now");
    }
    boolean wasPaused = paused;
    refreshPaused();
    if (wasPaused && !paused) {
      releaseHeldPresets(now);
    }
    int granted = pacer.take(wallClockMillis, settings.maxPresetsPerTick());
    List<DueIndex.Due> dueNow = dueIndex.dueAt(now, granted);
    pacer.giveBack(granted - dueNow.size());
    for (DueIndex.Due due : dueNow) {
      StoredPreset stored = presets.get(due.presetId());
      if (stored == null || !due.dueAt().equals(DueIndex.slot(stored.dueAt()))) {
        dueIndex.reschedule(due.presetId(), Optional.of(due.dueAt()), Optional.empty());
        continue;
      }
      guarded(due.presetId(), now, stored, current -> onDue(due, current, now));
    }
  }

  private void onDue(DueIndex.Due due, StoredPreset stored, Instant now) {
    StoredPreset current = expireParked(due.presetId(), stored, now);
    if (current.defined()) {
      reconcile(due.presetId(), current, Trigger.timer(due.dueAt()), now);
    } else {
      saveUndefined(due.presetId(), current);
    }
  }

  private void onPresetInput(String presetId, StoredPreset stored, PresetInput input, Instant now) {
    if (input instanceof PresetInput.Definition definition) {
      onDefinition(presetId, stored, definition.update(), now);
      return;
    }
    Envelope<? extends Event> envelope = ((PresetInput.Received) input).envelope();
    Event data = envelope.data();
    Trigger trigger = Trigger.event(envelope.source(), envelope.id());
    if (data instanceof ClaimRequested claim && (stored.defined() || !replaying)) {
      onClaim(presetId, stored, claim, trigger, now);
    } else if (!stored.defined()) {
      if (data instanceof BuildEvent || data instanceof ClaimRequested) {
        park(presetId, stored, envelope, input.topic(), now);
      } else {
        log.atInfo()
            .addKeyValue("presetId", presetId)
            .addKeyValue("type", envelope.type())
            .log("event for an unknown preset ignored");
      }
    } else if (data instanceof BuildEvent) {
      StoredPreset applied = applyBuild(presetId, stored, envelope, now);
      if (applied != stored) {
        reconcile(presetId, applied, trigger, now);
      }
    } else if (data instanceof InventorySnapshot inventory) {
      Applied<InventoryDiff> diff = stored.state().onInventory(EventMapping.inventory(inventory));
      if (!diff.outcome().unchanged()) {
        metrics.inventoryDrift(stored.state().definition(), diff.outcome());
        log.atWarn()
            .addKeyValue("presetId", presetId)
            .addKeyValue("adopted", diff.outcome().adopted())
            .addKeyValue("updated", diff.outcome().updated())
            .addKeyValue("forgotten", diff.outcome().forgotten())
            .log("inventory differs from our state; state follows the provider");
      }
      reconcile(presetId, stored.withState(diff.state()), trigger, now);
    } else if (data instanceof PlanDriftDetected drift) {
      onPlanDrift(presetId, stored, drift, trigger, now);
    } else if (data instanceof io.prebuilds.schemas.event.CommandResult result) {
      onCommandResult(presetId, stored, result, trigger, now);
    } else if (data instanceof CapacityAllowance share) {
      Allowance allowance = new Allowance(share.allowance(), share.cap(), share.presets());
      reconcile(presetId, stored.withState(stored.state().withAllowance(allowance)), trigger, now);
    } else if (data instanceof InvalidatePreset) {
      reconcile(presetId, stored.withState(stored.state().invalidate(now)), trigger, now);
    } else if (data instanceof ResetPreset) {
      reconcile(presetId, stored.withState(stored.state().reset()), trigger, now);
    } else {
      reconcile(presetId, stored, trigger, now);
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
    current = current.withParked(List.of());
    if (replaying || pacer.take(now.toEpochMilli(), 1) == 1) {
      reconcile(presetId, current, Trigger.event(update.source(), update.eventId()), now);
    } else {
      deferDecision(presetId, current, now);
    }
  }

  /**
   * Keeps a changed definition undecided, due at once: the next tick the pacer allows decides it,
   * as a timer decision. Until then claims and events see the new definition as usual.
   */
  private void deferDecision(String presetId, StoredPreset stored, Instant now) {
    metrics.definitionDeferred();
    dueIndex.reschedule(presetId, Optional.ofNullable(stored.dueAt()), Optional.of(now));
    save(presetId, stored.withDue(now));
  }

  private StoredPreset applyParked(
      String presetId, StoredPreset stored, StoredPreset.Parked parked, Instant now) {
    if (parked.topic().equals(Topics.CLAIMS.name())) {
      Decoded<ClaimEvent> claim = codec.decode(Topics.CLAIMS, parked.value());
      return claim instanceof Decoded.Accepted<ClaimEvent> accepted
              && accepted.envelope().data() instanceof ClaimRequested request
          ? applyParkedClaim(presetId, stored, request)
          : stored;
    }
    Decoded<BuildEvent> decoded = codec.decode(Topics.BUILDS, parked.value());
    if (decoded instanceof Decoded.Accepted<BuildEvent> accepted) {
      return applyBuild(presetId, stored, accepted.envelope(), now);
    }
    return stored;
  }

  /**
   * A claim that a rebuild met before its preset's definition (only historic claims are parked).
   * Its answer went out long ago, so it only rebuilds state, decided at the claim's own time: from
   * the pool when the definition is history too, else as unknown-preset, since the preset did not
   * exist yet when the claim was answered.
   */
  private StoredPreset applyParkedClaim(
      String presetId, StoredPreset stored, ClaimRequested request) {
    boolean definitionHistoric = replaying;
    replaying = true;
    try {
      Instant at = request.requestedAt();
      if (firstResult(request.claimId(), processedAt) != null) {
        return stored;
      }
      if (!definitionHistoric) {
        answerNotClaimed(
            presetId, stored.state().definition(), request, NoPrebuildReason.UNKNOWN_PRESET, at);
        return stored;
      }
      return claimFromPool(presetId, stored.state(), request, at)
          .map(claimed -> stored.withState(stored.state().onClaimed(claimed)))
          .orElse(stored);
    } finally {
      replaying = definitionHistoric;
    }
  }

  /**
   * Applies a build or agent event, emitting the reinitialization of a claimed workspace when its
   * claim build succeeded. Returns {@code stored} itself when the event changed nothing: stale, or
   * about a workspace the pool does not hold (and may not adopt).
   */
  private StoredPreset applyBuild(
      String presetId, StoredPreset stored, Envelope<? extends Event> envelope, Instant now) {
    PresetState before = stored.state();
    Applied<EventOutcome> applied;
    String workspaceId;
    if (envelope.data() instanceof BuildCompleted build) {
      applied = before.onBuildCompleted(EventMapping.build(build));
      workspaceId = build.workspaceId();
    } else {
      AgentStatusChanged status = (AgentStatusChanged) envelope.data();
      applied = before.onAgentStatus(EventMapping.agentStatus(status));
      workspaceId = status.workspaceId();
    }
    if (applied.outcome() == EventOutcome.STALE_DROPPED) {
      metrics.staleEventDropped(Topics.BUILDS.name());
      log.atDebug()
          .addKeyValue("presetId", presetId)
          .addKeyValue("eventId", envelope.id())
          .log("stale build event dropped");
      return stored;
    }
    if (applied.outcome() == EventOutcome.UNKNOWN_WORKSPACE) {
      metrics.unknownWorkspaceEvent(Topics.BUILDS.name());
      log.atDebug()
          .addKeyValue("presetId", presetId)
          .addKeyValue("eventId", envelope.id())
          .addKeyValue("workspaceId", workspaceId)
          .log("event about a workspace the pool does not hold ignored");
      return stored;
    }
    if (applied.outcome() == EventOutcome.CLAIM_BUILD_SUCCEEDED
        && envelope.data() instanceof BuildCompleted build) {
      Prebuild claimed = before.prebuild(build.workspaceId());
      reinitialize(presetId, before.definition(), claimed, envelope, now);
    } else if (applied.outcome() == EventOutcome.CLAIM_BUILD_FAILED
        && envelope.data() instanceof BuildCompleted build) {
      claimFailed(presetId, before, build, now);
    }
    return stored.withState(applied.state());
  }

  /**
   * A claim build failed: the claim is answered again ({@code claim-failed}) and the claiming user
   * and the template admins are notified, once per claim build (the notification id comes from the
   * claim and the build number; a repeat of the build event is stale). The workspace itself went
   * back to the pool as a failed prebuild, which hygiene deletes.
   */
  private void claimFailed(String presetId, PresetState before, BuildCompleted build, Instant now) {
    Prebuild claimed = before.prebuild(build.workspaceId());
    String claimId = claimed.claim().claimId();
    String reason =
        "claim build "
            + build.buildNumber()
            + " "
            + build.status().wire()
            + " for workspace "
            + build.workspaceId();
    answerAgain(claimId, new ClaimFailed(claimId, presetId, now, reason), now);
    var notification =
        EventMapping.claimFailed(before.definition(), claimed, build.buildNumber(), reason, now);
    sendNotification(notification, now);
    if (replaying) {
      return;
    }
    log.atWarn()
        .addKeyValue("presetId", presetId)
        .addKeyValue("claimId", claimId)
        .addKeyValue("workspaceId", build.workspaceId())
        .addKeyValue("buildNumber", build.buildNumber())
        .log("claim build did not succeed; the claim failed, user and template admins notified");
  }

  private void reinitialize(
      String presetId,
      PresetDefinition definition,
      Prebuild claimed,
      Envelope<? extends Event> cause,
      Instant now) {
    String commandId =
        CommandIds.commandId(
            presetId,
            Trigger.event(cause.source(), cause.id()),
            "reinitialize-agent",
            claimed.workspaceId());
    emitCommand(
        EventMapping.reinitialize(
            definition,
            commandId,
            claimed.claim().claimId(),
            claimed.workspaceId(),
            claimed.claim().userId(),
            now),
        now);
  }

  private void onPlanDrift(
      String presetId, StoredPreset stored, PlanDriftDetected drift, Trigger trigger, Instant now) {
    List<Replacement> counted =
        drift.replacements().stream().filter(r -> ReplacementRule.counts(r.resource())).toList();
    String buildKey = presetId + "\ndrift\n" + drift.workspaceId() + '#' + drift.buildNumber();
    if (counted.isEmpty() || seen(buildKey, now)) {
      return;
    }
    seenEvents.put(buildKey, SEEN, now.toEpochMilli());
    PresetState state = stored.state().onResourceReplacements();
    var notification = EventMapping.replacements(state, drift, counted, now);
    sendNotification(notification, now);
    if (!replaying) {
      log.atWarn()
          .addKeyValue("presetId", presetId)
          .addKeyValue("workspaceId", drift.workspaceId())
          .addKeyValue("resources", counted.size())
          .log("claim build replaced resources; template admins notified");
    }
    reconcile(presetId, stored.withState(state), trigger, now);
  }

  private void onCommandResult(
      String presetId,
      StoredPreset stored,
      io.prebuilds.schemas.event.CommandResult result,
      Trigger trigger,
      Instant now) {
    if (result.outcome() == io.prebuilds.schemas.event.CommandOutcome.DISPATCHED
        || result.outcome() == io.prebuilds.schemas.event.CommandOutcome.WITHDRAWN) {
      onAdmission(presetId, stored, result, trigger, now);
      return;
    }
    CommandResult failure = EventMapping.commandResult(result);
    if (failure == null) {
      return;
    }
    metrics.commandRefused(result.commandKind().wire(), result.outcome().wire());
    log.atWarn()
        .addKeyValue("presetId", presetId)
        .addKeyValue("commandId", result.commandId())
        .addKeyValue("outcome", result.outcome().wire())
        .log("worker could not carry out a command: {}", result.reason());
    reconcile(
        presetId, stored.withState(stored.state().onCommandResult(failure).state()), trigger, now);
  }

  /**
   * The admission stage dispatched one of our commands (its timeout starts at the stage's clock) or
   * withdrew it unsent (it is no longer in flight; the decision may issue it again).
   */
  private void onAdmission(
      String presetId,
      StoredPreset stored,
      io.prebuilds.schemas.event.CommandResult result,
      Trigger trigger,
      Instant now) {
    if (result.outcome() == io.prebuilds.schemas.event.CommandOutcome.WITHDRAWN) {
      Applied<EventOutcome> withdrawn = stored.state().onWithdrawn(result.commandId());
      if (withdrawn.outcome() != EventOutcome.UNKNOWN_COMMAND) {
        reconcile(presetId, stored.withState(withdrawn.state()), trigger, now);
      }
      return;
    }
    Applied<EventOutcome> dispatched =
        stored.state().onDispatched(result.commandId(), result.reportedAt());
    if (dispatched.outcome() == EventOutcome.UNKNOWN_COMMAND) {
      return;
    }
    // Nothing to decide: the pool is the same, only the command's deadline is new.
    Instant timeout = result.reportedAt().plus(settings.reconcile().commandTimeout());
    Instant due =
        stored.dueAt() == null || timeout.isBefore(stored.dueAt()) ? timeout : stored.dueAt();
    dueIndex.reschedule(presetId, Optional.ofNullable(stored.dueAt()), Optional.of(due));
    save(presetId, stored.withState(dispatched.state()).withDue(due));
  }

  /** Records keyed {@code org:<id>}: ensure membership once, again only after a failure. */
  private void onOrganization(String key, PresetInput input, Instant now) {
    Membership membership = memberships.get(key);
    String organizationId = key.substring(ORGANIZATION_PREFIX.length());
    Membership next = null;
    if (input instanceof PresetInput.Definition) {
      next = membership == null ? Membership.FIRST : null;
    } else if (input instanceof PresetInput.Received received
        && received.envelope().data() instanceof io.prebuilds.schemas.event.CommandResult result
        && result.outcome() != io.prebuilds.schemas.event.CommandOutcome.SUCCEEDED) {
      next = membership == null ? Membership.FIRST : membership.retried();
      metrics.commandRefused(result.commandKind().wire(), result.outcome().wire());
    }
    if (next == null) {
      return;
    }
    memberships.put(key, next);
    emitCommand(EventMapping.membership(organizationId, next.generation(), now), now);
    flush();
  }

  private void park(
      String presetId,
      StoredPreset stored,
      Envelope<? extends Event> envelope,
      String topic,
      Instant now) {
    List<StoredPreset.Parked> parked = new ArrayList<>(stored.parked());
    parked.add(new StoredPreset.Parked(topic, codec.encode(envelope), processedAt));
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
      remove(presetId);
    } else {
      save(presetId, stored.withDue(due.get()));
    }
  }

  private void onClaim(
      String presetId, StoredPreset stored, ClaimRequested request, Trigger trigger, Instant now) {
    byte[] earlier = firstResult(request.claimId(), now);
    if (earlier != null) {
      emit(
          new Record<>(
              request.claimId(),
              new Outbound(Topics.CLAIM_RESULTS.name(), earlier),
              now.toEpochMilli()));
      answeredFresh(request, now);
      return;
    }
    if (!stored.defined()) {
      answerNotClaimed(presetId, null, request, NoPrebuildReason.UNKNOWN_PRESET, now);
      return;
    }
    claimFromPool(presetId, stored.state(), request, now)
        .ifPresent(
            claimed -> {
              log.atInfo()
                  .addKeyValue("presetId", presetId)
                  .addKeyValue("claimId", claimed.claimId())
                  .addKeyValue("workspaceId", claimed.workspaceId())
                  .addKeyValue("userId", claimed.userId())
                  .log("prebuild claimed");
              reconcile(
                  presetId, stored.withState(stored.state().onClaimed(claimed)), trigger, now);
            });
  }

  /**
   * Hands the claim the prebuild {@link ClaimSelection} chooses at {@code at} (the claim command,
   * then the answer), or answers that none is available. Live claims and historic ones met during a
   * rebuild go through here alike; for the latter nothing is sent.
   */
  private Optional<ClaimDecision.Claimed> claimFromPool(
      String presetId, PresetState state, ClaimRequested request, Instant at) {
    PresetDefinition definition = state.definition();
    ClaimDecision decision = ClaimSelection.select(state, EventMapping.claim(request), at);
    if (decision instanceof ClaimDecision.Claimed claimed) {
      emitCommand(EventMapping.claimCommand(definition, claimed, at), at);
      answer(definition, request, EventMapping.claimed(presetId, claimed), at);
      return Optional.of(claimed);
    }
    NoPrebuildReason reason = EventMapping.reason(((ClaimDecision.NotClaimed) decision).reason());
    answerNotClaimed(presetId, definition, request, reason, at);
    return Optional.empty();
  }

  private void answerNotClaimed(
      String presetId,
      PresetDefinition definition,
      ClaimRequested request,
      NoPrebuildReason reason,
      Instant at) {
    answer(
        definition, request, EventMapping.notClaimed(presetId, request.claimId(), reason, at), at);
  }

  private byte[] firstResult(String claimId, Instant now) {
    try (WindowStoreIterator<byte[]> it =
        claimResults.fetch(claimId, since(now, settings.claimRetention()), now.toEpochMilli())) {
      return it.hasNext() ? it.next().value : null;
    }
  }

  /**
   * A later outcome of a claim that was already answered (its claim build failed): a new result
   * record with its own id, which also replaces the first answer for duplicate claim requests.
   */
  private void answerAgain(String claimId, ClaimResult result, Instant now) {
    byte[] value =
        codec.encode(
            Envelope.of(settings.source(), "claim-result/" + claimId + "/failed", now, result));
    claimResults.put(claimId, value, now.toEpochMilli());
    emit(
        new Record<>(
            claimId, new Outbound(Topics.CLAIM_RESULTS.name(), value), now.toEpochMilli()));
  }

  private void answer(
      PresetDefinition definition, ClaimRequested request, ClaimResult result, Instant now) {
    String claimId = request.claimId();
    if (!replaying) {
      metrics.claimAnswered(
          definition, result.outcome().wire(), Duration.between(request.requestedAt(), now));
    }
    byte[] value =
        codec.encode(Envelope.of(settings.source(), "claim-result/" + claimId, now, result));
    claimResults.put(claimId, value, now.toEpochMilli());
    emit(
        new Record<>(
            claimId, new Outbound(Topics.CLAIM_RESULTS.name(), value), now.toEpochMilli()));
    answeredFresh(request, now);
  }

  /** Decides, stores and emits: the one path every input and timer ends in. */
  private void reconcile(String presetId, StoredPreset stored, Trigger trigger, Instant now) {
    long started = System.nanoTime();
    OptionalInt cap = settings.admission().cap(stored.state().definition().organizationId());
    // only a capped organization needs the demand; the decision works out desired itself
    int demand = cap.isPresent() ? demand(stored.state().definition(), now) : 0;
    PresetState state = withCapacity(stored.state().withPaused(paused), cap, demand);
    Decision decided = Reconciler.decide(state, trigger, now, settings.reconcile());
    Decision decision = replaying ? decided.withoutCommands() : decided;
    metrics.decisionNanos(
        Trigger.TIMER_SOURCE.equals(trigger.source())
            ? TopologyMetrics.TIMER_TRIGGER
            : TopologyMetrics.EVENT_TRIGGER,
        System.nanoTime() - started);
    countTimeouts(state, now);
    PresetState after = state.onDecision(decision, settings.reconcile(), CommandStart.AT_DISPATCH);
    PresetDefinition definition = after.definition();
    for (Action action : decision.actions()) {
      if (action instanceof Action.CreatePrebuild create) {
        admit(definition, EventMapping.create(definition, create, now), List.of(), now);
      } else if (action instanceof Action.DeletePrebuild delete) {
        admit(definition, EventMapping.delete(definition, delete, now), List.of(), now);
      } else if (action instanceof Action.CancelPending cancel) {
        admit(
            definition,
            EventMapping.cancel(definition, cancel, now),
            cancel.createCommandIds(),
            now);
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
    boolean changed = !stored.published() || !sameContent(snapshot, stored.snapshot());
    if (changed) {
      publish(
          presetId,
          Topics.PRESET_STATE.name(),
          Envelope.of(settings.source(), snapshotId(presetId, trigger, ""), now, snapshot),
          now);
    }
    // a rebuilt preset is due at once: its first tick after the catch-up reconciles it for real
    Instant due = replaying ? processedAt : decision.nextDueAt();
    Instant drainedAt = null;
    if (after.isDrained()) {
      drainedAt = stored.drainedAt() == null ? now : stored.drainedAt();
      Instant forgetAt = drainedAt.plus(settings.drainedRetention());
      if (!replaying && !now.isBefore(forgetAt)) {
        forget(presetId, stored, now);
        return;
      }
      due = forgetAt.isBefore(due) ? forgetAt : due;
    }
    due = earlierPending(stored.dueAt(), due, now, settings.reconcile().resyncInterval());
    dueIndex.reschedule(presetId, Optional.ofNullable(stored.dueAt()), Optional.of(due));
    // historic input sends nothing: what it changed is published by the next live decision
    boolean published = !replaying || (stored.published() && !changed);
    save(
        presetId,
        stored
            .withState(after)
            .withPublication(due, published, snapshot, drainedAt)
            .withDemand(sendDemand(presetId, definition, stored.demand(), cap, demand, now)));
  }

  /**
   * The due time to store after a decision: the decision's, except that a stored due time still
   * more than half a resync interval ahead (in practice the resync) and earlier than the decision's
   * is kept. Why: a busy preset's every event would otherwise move its resync an interval on,
   * rewriting the due index (a delete, a put and two changelog records) per event. Waking at the
   * kept time instead is harmless: a timer decision is the same pure decision with ids of its own,
   * and it stores the next due time. Nearer timers (backoff ends, expiries, command timeouts) are
   * always moved, so they fire exactly when the decision says.
   */
  private static Instant earlierPending(
      Instant stored, Instant decided, Instant now, Duration resync) {
    boolean farAhead = stored != null && stored.isAfter(now.plus(resync.dividedBy(2)));
    return farAhead && stored.isBefore(decided) ? stored : decided;
  }

  /** What the preset asks of its organization's capacity cap: its desired count, 0 if inactive. */
  private static int demand(PresetDefinition definition, Instant now) {
    return definition.isActive() ? DesiredInstances.at(definition, now).count() : 0;
  }

  /**
   * The allowance the decision applies. Uncapped organizations have none. In a capped organization
   * a preset that has no share yet, or asks for none, holds nothing until the admission stage
   * shares the cap with it: a stale share could exceed what the others left.
   */
  private static PresetState withCapacity(PresetState state, OptionalInt cap, int demand) {
    if (cap.isEmpty()) {
      return state.allowance() == null ? state : state.withAllowance(null);
    }
    if (state.allowance() == null || demand == 0) {
      Allowance pending = new Allowance(0, cap.getAsInt(), 0);
      return pending.equals(state.allowance()) ? state : state.withAllowance(pending);
    }
    return state;
  }

  /**
   * Tells the admission stage the preset's demand when it changed, only for capped organizations
   * (the common, uncapped case sends nothing). Returns the demand the stage now knows.
   */
  private Integer sendDemand(
      String presetId,
      PresetDefinition definition,
      Integer sent,
      OptionalInt cap,
      int demand,
      Instant now) {
    if (cap.isEmpty()) {
      return null;
    }
    if (replaying || demand == (sent == null ? 0 : sent)) {
      return sent;
    }
    emit(
        new Record<>(
            Keys.organization(definition.organizationId()),
            Outbound.admission(new AdmissionRecord.Demand(presetId, demand)),
            now.toEpochMilli()));
    return demand;
  }

  /**
   * A drained preset (inactive, no prebuilds, nothing in flight) past its retention leaves every
   * store, and its read-model record is tombstoned, so stores stay bounded by the live presets.
   */
  private void forget(String presetId, StoredPreset stored, Instant now) {
    dueIndex.reschedule(presetId, Optional.ofNullable(stored.dueAt()), Optional.empty());
    remove(presetId);
    emit(
        new Record<>(presetId, new Outbound(Topics.PRESET_STATE.name(), null), now.toEpochMilli()));
    log.atInfo()
        .addKeyValue("presetId", presetId)
        .addKeyValue("drainedAt", stored.drainedAt())
        .log("drained preset forgotten; its read-model record is tombstoned");
  }

  private void countTimeouts(PresetState state, Instant now) {
    for (InFlightCommand command : state.commands()) {
      if (command.timedOut(now, settings.reconcile())) {
        metrics.commandTimedOut(state.definition(), command.kind().name().toLowerCase(Locale.ROOT));
      }
    }
  }

  /**
   * Runs one preset's handling as a unit: its outputs are forwarded only when it completed; if it
   * threw, nothing is forwarded and the preset is quarantined and retried with backoff.
   */
  private void guarded(
      String presetId, Instant now, StoredPreset before, Consumer<StoredPreset> handling) {
    saved = null;
    try {
      handling.accept(before);
      releaseLeft(presetId, before, now);
      flush();
    } catch (RuntimeException e) {
      pending.clear();
      quarantine(presetId, e, now);
    }
  }

  private void quarantine(String presetId, RuntimeException error, Instant now) {
    StoredPreset stored = load(presetId);
    int attempts = stored.quarantine() == null ? 0 : stored.quarantine().attempts();
    Duration backoff = FIRST_RETRY.multipliedBy(1L << Math.min(attempts, 7));
    Instant retryAt = now.plus(backoff.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : backoff);
    String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
    dueIndex.reschedule(presetId, Optional.ofNullable(stored.dueAt()), Optional.of(retryAt));
    StoredPreset quarantined = stored.quarantined(reason, retryAt);
    if (!replaying && stored.snapshot() != null && !stored.snapshot().quarantined()) {
      quarantined = publishQuarantined(presetId, quarantined, retryAt, now);
    }
    presets.put(presetId, quarantined);
    metrics.presetQuarantined(presetId);
    log.atError()
        .setCause(error)
        .addKeyValue("presetId", presetId)
        .addKeyValue("attempt", attempts + 1)
        .addKeyValue("retryAt", retryAt)
        .log("preset quarantined: processing it failed; other presets continue");
  }

  /**
   * Tells the read model that the preset is quarantined: its last published state again, flagged.
   * The next successful decision publishes an unflagged record, since the flag is part of the
   * compared content.
   */
  private StoredPreset publishQuarantined(
      String presetId, StoredPreset quarantined, Instant retryAt, Instant now) {
    PresetSnapshot flagged = quarantined.snapshot().with(true, Optional.of(retryAt), now);
    String id =
        snapshotId(
            presetId, Trigger.timer(retryAt), "quarantined/" + quarantined.quarantine().attempts());
    publish(
        presetId,
        Topics.PRESET_STATE.name(),
        Envelope.of(settings.source(), id, now, flagged),
        now);
    flush();
    return quarantined.withPublished(flagged);
  }

  private void notifyAdmins(PresetState state, Action.Notify notify, Instant now) {
    if (replaying) {
      return;
    }
    int failed = (int) state.createAttempts().stream().filter(a -> a.result().failed()).count();
    sendNotification(EventMapping.failureLimit(state, notify, failed, now), now);
    log.atWarn()
        .addKeyValue("presetId", state.presetId())
        .addKeyValue("templateId", state.definition().templateId())
        .addKeyValue("status", notify.status().wireName())
        .log("preset reached its failure limit; template admins notified");
  }

  /** Sends a notification to people, and counts it; historic input notifies nobody. */
  private void sendNotification(Notification notification, Instant now) {
    if (replaying) {
      return;
    }
    publish(
        notification.notificationId(),
        Topics.NOTIFICATIONS.name(),
        Envelope.of(settings.source(), notification.notificationId(), now, notification),
        now);
    metrics.notificationSent(notification.kind().wire());
  }

  /**
   * Tells the admission stage about every command that left the preset's in-flight set while
   * handling one input (answered, timed out, cancelled, withdrawn, forgotten by the inventory), so
   * its slot is freed, or, if still queued, it is withdrawn unsent.
   */
  private void releaseLeft(String presetId, StoredPreset before, Instant now) {
    if (saved == null || !before.defined() || before.state().commands().isEmpty()) {
      return;
    }
    StoredPreset after = saved.orElse(null);
    Set<String> still = new HashSet<>();
    if (after != null && after.defined()) {
      after.state().commands().forEach(command -> still.add(command.commandId()));
    }
    String organization = Keys.organization(before.state().definition().organizationId());
    for (InFlightCommand command : before.state().commands()) {
      if (!still.contains(command.commandId())) {
        emit(
            new Record<>(
                organization,
                Outbound.admission(new AdmissionRecord.Release(command.commandId(), presetId)),
                now.toEpochMilli()));
      }
    }
  }

  /**
   * Sends a create, delete or cancel to the admission stage of its organization, which dispatches
   * it to the command topic when the organization's budget allows ({@code docs/backpressure.md}).
   */
  private void admit(
      PresetDefinition definition, Command command, List<String> cancels, Instant now) {
    byte[] encoded =
        codec.encode(Envelope.of(settings.source(), command.commandId(), now, command));
    AdmissionRecord.Request request =
        new AdmissionRecord.Request(
            command.commandId(),
            definition.presetId(),
            command.kind(),
            command.key(),
            encoded,
            cancels,
            now);
    emit(
        new Record<>(
            Keys.organization(definition.organizationId()),
            Outbound.admission(request),
            now.toEpochMilli()));
  }

  private void emitCommand(Command command, Instant now) {
    if (replaying) {
      return;
    }
    metrics.commandEmitted(command.eventType().wire());
    publish(
        command.key(),
        Topics.COMMANDS.name(),
        Envelope.of(settings.source(), command.commandId(), now, command),
        now);
  }

  private void publish(String key, String topic, Envelope<? extends Event> envelope, Instant now) {
    emit(new Record<>(key, new Outbound(topic, codec.encode(envelope)), now.toEpochMilli()));
  }

  /**
   * Holds an output back until the input is handled as a whole; historic input ({@link
   * RebuildGate}) was answered by an earlier run, so it sends nothing.
   */
  private void emit(Record<String, Outbound> record) {
    if (!replaying) {
      pending.add(record);
    }
  }

  private void flush() {
    for (Record<String, Outbound> record : pending) {
      context.forward(record);
    }
    pending.clear();
  }

  /**
   * A claim was answered; if it was requested within {@link TopologySettings#claimCommitWithin},
   * asks Kafka Streams to commit right after the records in hand (a request, acted on once this
   * input is handled), so the answer does not wait for the commit interval.
   */
  private void answeredFresh(ClaimRequested request, Instant now) {
    Duration waited = Duration.between(request.requestedAt(), now);
    if (!replaying && waited.compareTo(settings.claimCommitWithin()) < 0) {
      context.commit();
    }
  }

  private void releaseHeldPresets(Instant now) {
    int released = 0;
    try (KeyValueIterator<String, StoredPreset> it = presets.all()) {
      while (it.hasNext()) {
        KeyValue<String, StoredPreset> entry = it.next();
        StoredPreset stored = entry.value;
        if (stored.defined() && stored.state().paused()) {
          dueIndex.reschedule(entry.key, Optional.ofNullable(stored.dueAt()), Optional.of(now));
          presets.put(entry.key, stored.withDue(now));
          released++;
        }
      }
    }
    log.atInfo()
        .addKeyValue("presets", released)
        .log("reconciliation resumed; held presets due now");
  }

  private void refreshPaused() {
    paused = pause.paused();
  }

  private boolean seen(String key, Instant now) {
    try (WindowStoreIterator<byte[]> it =
        seenEvents.fetch(key, since(now, settings.dedupeRetention()), now.toEpochMilli())) {
      return it.hasNext();
    }
  }

  /**
   * The start of a window store fetch, in epoch milliseconds. Window stores are fetched with millis
   * rather than {@code Instant}s: Kafka's {@code Instant} overload formats two error messages (with
   * {@code Instant.toString}) on every call, whether or not anything is wrong.
   */
  private static long since(Instant now, Duration retention) {
    return now.toEpochMilli() - retention.toMillis();
  }

  /** Stores the preset handled now, and remembers it for {@link #releaseLeft} (no second read). */
  private void save(String presetId, StoredPreset value) {
    presets.put(presetId, value);
    saved = Optional.of(value);
  }

  private void remove(String presetId) {
    presets.delete(presetId);
    saved = Optional.empty();
  }

  private StoredPreset load(String presetId) {
    StoredPreset stored = presets.get(presetId);
    return stored == null ? StoredPreset.empty() : stored;
  }

  /**
   * Whether two read-model records say the same, leaving out what changes without anything
   * happening (the time it was computed, when the preset is next looked at).
   */
  private static boolean sameContent(PresetSnapshot snapshot, PresetSnapshot before) {
    return before != null && stable(snapshot).equals(stable(before));
  }

  private static PresetSnapshot stable(PresetSnapshot snapshot) {
    return snapshot.with(snapshot.quarantined(), Optional.empty(), Instant.EPOCH);
  }

  /**
   * The id of a preset-state record: derived from what caused it, like a command id, so handling
   * the same input again (a replay after a failover) gives the same id.
   */
  private static String snapshotId(String presetId, Trigger trigger, String target) {
    return CommandIds.commandId(presetId, trigger, "preset-state", target);
  }
}
