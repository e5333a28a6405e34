package io.prebuilds.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.reconcile.Allowance;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.CapacityAllowance;
import io.prebuilds.schemas.event.CommandKind;
import io.prebuilds.schemas.event.CommandOutcome;
import io.prebuilds.schemas.event.CommandResult;
import io.prebuilds.schemas.event.EventType;
import io.prebuilds.topology.AdmissionEntries.Admitted;
import io.prebuilds.topology.AdmissionEntries.Counts;
import io.prebuilds.topology.AdmissionEntries.Demands;
import io.prebuilds.topology.AdmissionEntries.Priority;
import io.prebuilds.topology.AdmissionEntries.Queued;

/**
 * The admission stage, keyed by organization: keeps at most the budget of prebuild creates and
 * deletes dispatched per organization, releases deletes before creates and each priority first in,
 * first out, and withdraws queued commands that became obsolete. The design, the command state
 * machine and the exactly-once argument are in {@code docs/backpressure.md}.
 *
 * <p>Every dispatch and withdrawal is reported to the preset's reconciler on {@code
 * prebuilds.command-results.v1} (outcomes {@code dispatched} and {@code withdrawn}), because the
 * reconciler's command timeout starts at dispatch and a withdrawn command is no longer in flight. A
 * slot is freed by a {@link AdmissionRecord.Release} or, if nobody answers, by this stage's own
 * wall-clock timer at {@code dispatchedAt + commandTimeout}.
 *
 * <p>For organizations with a capacity cap it also keeps the presets' demands and shares the cap
 * among them ({@link io.prebuilds.reconcile.CapacityShare}); every preset whose share changed is
 * told on the same topic ({@code prebuilds.admission.allowance.v1}).
 */
final class AdmissionStage implements Processor<String, AdmissionRecord, String, Outbound> {

  private static final Logger log = LoggerFactory.getLogger(AdmissionStage.class);
  private static final byte[] EMPTY = {};
  private static final char SEPARATOR = '\n';
  private static final String CANCELLED = "cancelled";
  private static final String RELEASED = "released";
  private static final String PAUSED = "paused";

  private final TopologySettings settings;
  private final EventCodec codec;
  private final TopologyMetrics metrics;

  private ProcessorContext<String, Outbound> context;
  private KeyValueStore<String, Queued> queue;
  private CachedStore<String, Admitted> commands;
  private KeyValueStore<String, byte[]> deadlines;
  private CachedStore<String, Counts> organizations;
  private CachedStore<String, Demands> demands;
  private GlobalPause pause;
  private boolean pausedBefore;
  private boolean swept;
  private boolean capsChecked;

  /** Organizations whose demands changed since the last tick (all stored ones after a start). */
  private final Set<String> unshared = new LinkedHashSet<>();

  /**
   * Organizations whose queue or dispatch levels changed since the last tick. Their gauges are
   * published once per tick rather than per record: the queue age takes a RocksDB prefix scan and a
   * read of the oldest queued command per priority, work a burst of commands (a template rollover's
   * hundreds) did on every record for a gauge scraped every few seconds.
   */
  private final Set<String> levelsChanged = new LinkedHashSet<>();

  AdmissionStage(TopologySettings settings, EventCodec codec, TopologyMetrics metrics) {
    this.settings = settings;
    this.codec = codec;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Outbound> context) {
    this.context = context;
    this.queue = context.getStateStore(PrebuildsTopology.ADMISSION_QUEUE_STORE);
    // new caches on every init: Kafka Streams initializes again after restoring the stores
    this.commands = cached(context, PrebuildsTopology.ADMISSION_COMMANDS_STORE);
    this.deadlines = context.getStateStore(PrebuildsTopology.ADMISSION_DEADLINES_STORE);
    this.organizations = cached(context, PrebuildsTopology.ADMISSION_ORGANIZATIONS_STORE);
    this.demands = cached(context, PrebuildsTopology.ADMISSION_DEMANDS_STORE);
    // a (re)initialized task may hold restored demands nobody shared yet: share them all first
    this.capsChecked = false;
    this.unshared.clear();
    this.levelsChanged.clear();
    this.pause = new GlobalPause(context.getStateStore(PrebuildsTopology.SETTINGS_STORE), codec);
    context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  private <V> CachedStore<String, V> cached(
      ProcessorContext<String, Outbound> context, String name) {
    return new CachedStore<>(context.getStateStore(name), settings.cachedPresets());
  }

  @Override
  public void process(Record<String, AdmissionRecord> record) {
    String organization = record.key();
    AdmissionRecord value = record.value();
    if (organization == null || value == null) {
      return;
    }
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    if (value instanceof AdmissionRecord.Request request) {
      if (request.kind() == CommandKind.CANCEL_PENDING) {
        cancel(organization, request, now);
      } else {
        enqueue(organization, request, now);
      }
    } else if (value instanceof AdmissionRecord.Release release) {
      release(organization, release.commandId());
    } else if (value instanceof AdmissionRecord.Demand demand) {
      demand(organization, demand);
      return;
    }
    dispatch(organization, now);
  }

  /**
   * Frees the slots of dispatched commands nobody answered in time, withdraws queued creates when
   * reconciliation was paused, after a resume or a restart (the budget may have changed) dispatches
   * whatever the budgets allow, and publishes the queue gauges that changed.
   */
  void tick(long wallClockMillis) {
    Instant now = Instant.ofEpochMilli(wallClockMillis);
    shareCaps(now);
    boolean paused = pause.paused();
    Set<String> toDispatch = new LinkedHashSet<>(expire(now));
    if (paused && !pausedBefore) {
      withdrawQueuedCreates(now);
    }
    if (!paused && (pausedBefore || !swept)) {
      toDispatch.addAll(organizationsWithQueued());
      swept = true;
    }
    pausedBefore = paused;
    for (String organization : toDispatch) {
      dispatch(organization, now);
    }
    for (String organization : levelsChanged) {
      publishLevels(organization, counts(organization));
    }
    levelsChanged.clear();
  }

  /**
   * A preset's desired count changed: stored at once, shared at the next tick, so the demands of a
   * burst (a template's presets, a schedule boundary) are shared together rather than one by one.
   */
  private void demand(String organization, AdmissionRecord.Demand demand) {
    Demands before = demands.get(organization);
    if (settings.admission().cap(organizationId(organization)).isEmpty()) {
      if (before != null) {
        demands.delete(organization);
      }
      return;
    }
    Demands after =
        (before == null ? Demands.NONE : before).with(demand.presetId(), demand.desired());
    if (after.desired().isEmpty()) {
      demands.delete(organization);
    } else {
      demands.put(organization, after);
      unshared.add(organization);
    }
  }

  /**
   * Shares the cap of every organization whose demands changed since the last tick; after a start
   * every stored organization, since the caps may have changed (those no longer capped are
   * forgotten: their presets drop their allowances themselves).
   */
  private void shareCaps(Instant now) {
    if (!capsChecked) {
      try (KeyValueIterator<String, Demands> it = demands.all()) {
        it.forEachRemaining(entry -> unshared.add(entry.key));
      }
      capsChecked = true;
    }
    for (String organization : unshared) {
      Demands stored = demands.get(organization);
      OptionalInt cap = settings.admission().cap(organizationId(organization));
      if (stored == null) {
        continue;
      }
      if (cap.isEmpty()) {
        demands.delete(organization);
      } else {
        share(organization, stored, cap.getAsInt(), now);
      }
    }
    unshared.clear();
  }

  /** Stores the new shares and tells every preset whose share changed. */
  private void share(String organization, Demands stored, int cap, Instant now) {
    Map<String, Allowance> allowances = stored.allowances(cap);
    String organizationId = organizationId(organization);
    for (Map.Entry<String, Allowance> entry : allowances.entrySet()) {
      if (!entry.getValue().equals(stored.sent().get(entry.getKey()))) {
        sendAllowance(entry.getKey(), organizationId, entry.getValue(), now);
      }
    }
    demands.put(organization, stored.told(allowances));
  }

  private void sendAllowance(
      String presetId, String organizationId, Allowance allowance, Instant now) {
    CapacityAllowance data =
        new CapacityAllowance(
            presetId,
            organizationId,
            allowance.prebuilds(),
            allowance.cap(),
            allowance.presets(),
            now);
    String id =
        "allowance/"
            + presetId
            + "/"
            + now.toEpochMilli()
            + "/"
            + allowance.prebuilds()
            + "-"
            + allowance.cap()
            + "-"
            + allowance.presets();
    context.forward(
        new Record<>(
            presetId,
            new Outbound(
                Topics.COMMAND_RESULTS.name(),
                codec.encode(Envelope.of(settings.source(), id, now, data))),
            now.toEpochMilli()));
    log.atDebug()
        .addKeyValue("organization", organizationId)
        .addKeyValue("presetId", presetId)
        .addKeyValue("allowance", allowance.prebuilds())
        .addKeyValue("cap", allowance.cap())
        .log("capacity share changed");
  }

  private static String organizationId(String organization) {
    return organization.substring(organization.indexOf(':') + 1);
  }

  private void enqueue(String organization, AdmissionRecord.Request request, Instant now) {
    String id = commandKey(organization, request.commandId());
    if (commands.get(id) != null) {
      log.atDebug()
          .addKeyValue("organization", organization)
          .addKeyValue("commandId", request.commandId())
          .log("command already admitted; repeated request ignored");
      return;
    }
    Priority priority = Priority.of(request.kind());
    if (priority == Priority.CREATE && pause.paused()) {
      report(
          organization,
          request.presetId(),
          request.commandId(),
          request.kind(),
          now,
          CommandOutcome.WITHDRAWN,
          PAUSED);
      metrics.admissionWithdrawn(PAUSED);
      return;
    }
    long offset =
        context
            .recordMetadata()
            .map(RecordMetadata::offset)
            .orElseThrow(() -> new IllegalStateException("admission requests come from a topic"));
    String queueKey =
        organization + SEPARATOR + priority.ordinal() + SEPARATOR + zeroPadded(offset);
    queue.put(
        queueKey,
        new Queued(
            request.commandId(),
            request.presetId(),
            request.kind(),
            request.commandKey(),
            request.command(),
            now));
    commands.put(id, new Admitted(request.presetId(), request.kind(), queueKey, null));
    organizations.put(organization, counts(organization).queued(priority, 1));
  }

  /**
   * A cancel is never held. It withdraws the creates it names that are still queued (they were
   * never sent, so the cancel cannot overtake them) and goes to the workers only if one of them was
   * already dispatched, after that create on the same key.
   */
  private void cancel(String organization, AdmissionRecord.Request request, Instant now) {
    boolean sent = request.cancels().isEmpty();
    for (String createId : request.cancels()) {
      Admitted admitted = commands.get(commandKey(organization, createId));
      if (admitted != null && admitted.queued()) {
        withdraw(organization, createId, admitted, CANCELLED);
      } else {
        sent = true;
      }
    }
    if (sent) {
      forwardCommand(request.commandKey(), request.kind(), request.command(), now);
    }
  }

  private void release(String organization, String commandId) {
    Admitted admitted = commands.get(commandKey(organization, commandId));
    if (admitted == null) {
      return;
    }
    if (admitted.queued()) {
      withdraw(organization, commandId, admitted, RELEASED);
    } else {
      free(organization, commandId, admitted);
    }
  }

  /** Dispatches the organization's queued commands, in release order, while its budget allows. */
  private void dispatch(String organization, Instant now) {
    if (pause.paused()) {
      return;
    }
    Counts before = counts(organization);
    Counts counts = before;
    int budget = settings.admission().budget();
    while (counts.queued() > 0 && (budget == 0 || counts.dispatched() < budget)) {
      KeyValue<String, Queued> next = first(organization + SEPARATOR);
      if (next == null) {
        break;
      }
      Queued queued = next.value;
      Priority priority = Priority.of(queued.kind());
      queue.delete(next.key);
      commands.put(
          commandKey(organization, queued.commandId()),
          new Admitted(queued.presetId(), queued.kind(), null, now));
      deadlines.put(deadlineKey(now, organization, queued.commandId()), EMPTY);
      counts = counts.queued(priority, -1).dispatched(priority, 1);
      forwardCommand(queued.commandKey(), queued.kind(), queued.command(), now);
      report(
          organization,
          queued.presetId(),
          queued.commandId(),
          queued.kind(),
          now,
          CommandOutcome.DISPATCHED,
          "dispatched");
    }
    if (!counts.equals(before)) {
      store(organization, counts);
    }
    levelsChanged.add(organization);
  }

  private Set<String> expire(Instant now) {
    List<String> due = new ArrayList<>();
    String bound = deadlinePrefix(now.toEpochMilli());
    try (KeyValueIterator<String, byte[]> it = deadlines.all()) {
      while (it.hasNext()) {
        String key = it.next().key;
        if (key.compareTo(bound) > 0 && !key.startsWith(bound)) {
          break;
        }
        due.add(key);
      }
    }
    Set<String> touched = new LinkedHashSet<>();
    for (String key : due) {
      deadlines.delete(key);
      String rest = key.substring(key.indexOf(SEPARATOR) + 1);
      int split = rest.lastIndexOf(SEPARATOR);
      String organization = rest.substring(0, split);
      String commandId = rest.substring(split + 1);
      Admitted admitted = commands.get(commandKey(organization, commandId));
      if (admitted != null && !admitted.queued()) {
        free(organization, commandId, admitted);
        log.atInfo()
            .addKeyValue("organization", organization)
            .addKeyValue("commandId", commandId)
            .addKeyValue("dispatchedAt", admitted.dispatchedAt())
            .log("dispatched command not answered within the command timeout; its slot is free");
        touched.add(organization);
      }
    }
    return touched;
  }

  private void withdrawQueuedCreates(Instant now) {
    List<KeyValue<String, Queued>> creates = new ArrayList<>();
    try (KeyValueIterator<String, Queued> it = queue.all()) {
      while (it.hasNext()) {
        KeyValue<String, Queued> entry = it.next();
        if (Priority.of(entry.value.kind()) == Priority.CREATE) {
          creates.add(entry);
        }
      }
    }
    for (KeyValue<String, Queued> entry : creates) {
      String organization = entry.key.substring(0, entry.key.indexOf(SEPARATOR));
      Queued queued = entry.value;
      Admitted admitted = commands.get(commandKey(organization, queued.commandId()));
      withdraw(organization, queued.commandId(), admitted, PAUSED);
      report(
          organization,
          queued.presetId(),
          queued.commandId(),
          queued.kind(),
          now,
          CommandOutcome.WITHDRAWN,
          PAUSED);
      levelsChanged.add(organization);
    }
    if (!creates.isEmpty()) {
      log.atInfo()
          .addKeyValue("creates", creates.size())
          .log("reconciliation paused: queued creates withdrawn");
    }
  }

  private List<String> organizationsWithQueued() {
    List<String> result = new ArrayList<>();
    try (KeyValueIterator<String, Counts> it = organizations.all()) {
      while (it.hasNext()) {
        KeyValue<String, Counts> entry = it.next();
        if (entry.value.queued() > 0) {
          result.add(entry.key);
        }
      }
    }
    return result;
  }

  private void withdraw(String organization, String commandId, Admitted admitted, String reason) {
    queue.delete(admitted.queueKey());
    commands.delete(commandKey(organization, commandId));
    Counts counts = counts(organization).queued(Priority.of(admitted.kind()), -1);
    store(organization, counts);
    metrics.admissionWithdrawn(reason);
    log.atDebug()
        .addKeyValue("organization", organization)
        .addKeyValue("commandId", commandId)
        .addKeyValue("reason", reason)
        .log("queued command withdrawn; it was never sent");
  }

  private void free(String organization, String commandId, Admitted admitted) {
    commands.delete(commandKey(organization, commandId));
    deadlines.delete(deadlineKey(admitted.dispatchedAt(), organization, commandId));
    store(organization, counts(organization).dispatched(Priority.of(admitted.kind()), -1));
  }

  private void store(String organization, Counts counts) {
    if (counts.equals(Counts.ZERO)) {
      organizations.delete(organization);
    } else {
      organizations.put(organization, counts);
    }
  }

  private void forwardCommand(String key, CommandKind kind, byte[] command, Instant now) {
    metrics.commandEmitted(eventType(kind).wire());
    context.forward(
        new Record<>(key, new Outbound(Topics.COMMANDS.name(), command), now.toEpochMilli()));
  }

  /**
   * Tells the preset's reconciler what happened to its command: {@code dispatched}, or withdrawn
   * (with the reason) so it stops counting the command as in flight.
   */
  private void report(
      String organization,
      String presetId,
      String commandId,
      CommandKind kind,
      Instant now,
      CommandOutcome outcome,
      String why) {
    String organizationId = organization.substring(organization.indexOf(':') + 1);
    String reason =
        outcome == CommandOutcome.DISPATCHED
            ? "dispatched by the admission stage"
            : "withdrawn by the admission stage before dispatch (" + why + ")";
    CommandResult result =
        new CommandResult(
            commandId,
            kind,
            Optional.of(presetId),
            Optional.of(organizationId),
            Optional.empty(),
            outcome,
            reason,
            now);
    Envelope<CommandResult> envelope =
        Envelope.of(
            settings.source(), "admission/" + commandId + "/" + outcome.wire(), now, result);
    context.forward(
        new Record<>(
            presetId,
            new Outbound(Topics.COMMAND_RESULTS.name(), codec.encode(envelope)),
            now.toEpochMilli()));
  }

  private void publishLevels(String organization, Counts counts) {
    String organizationId = organization.substring(organization.indexOf(':') + 1);
    for (Priority priority : Priority.values()) {
      metrics.admissionLevels(
          organizationId,
          priority.label(),
          counts.queued(priority),
          counts.dispatched(priority),
          oldestQueuedAt(organization, priority));
    }
  }

  private Instant oldestQueuedAt(String organization, Priority priority) {
    KeyValue<String, Queued> first =
        first(organization + SEPARATOR + priority.ordinal() + SEPARATOR);
    return first == null ? null : first.value.queuedAt();
  }

  private KeyValue<String, Queued> first(String prefix) {
    try (KeyValueIterator<String, Queued> it = queue.prefixScan(prefix, new StringSerializer())) {
      return it.hasNext() ? it.next() : null;
    }
  }

  private Counts counts(String organization) {
    Counts counts = organizations.get(organization);
    return counts == null ? Counts.ZERO : counts;
  }

  private static String commandKey(String organization, String commandId) {
    return organization + SEPARATOR + commandId;
  }

  /** Deadline order is key order: epoch millis zero-padded, then organization and command id. */
  private String deadlineKey(Instant dispatchedAt, String organization, String commandId) {
    long deadline = dispatchedAt.plus(settings.reconcile().commandTimeout()).toEpochMilli();
    return deadlinePrefix(deadline) + organization + SEPARATOR + commandId;
  }

  private static String deadlinePrefix(long epochMillis) {
    return zeroPadded(epochMillis) + SEPARATOR;
  }

  private static EventType eventType(CommandKind kind) {
    return switch (kind) {
      case CREATE_PREBUILD -> EventType.CREATE_PREBUILD;
      case DELETE_PREBUILD -> EventType.DELETE_PREBUILD;
      case CANCEL_PENDING -> EventType.CANCEL_PENDING;
      case CLAIM_WORKSPACE -> EventType.CLAIM_WORKSPACE;
      case REINITIALIZE_AGENT -> EventType.REINITIALIZE_AGENT;
      case ENSURE_MEMBERSHIP -> EventType.ENSURE_MEMBERSHIP;
    };
  }

  /**
   * A non-negative number as 20 digits, so keys sort by it; {@code String.format} cost a few
   * percent of the stream thread here.
   */
  static String zeroPadded(long value) {
    String digits = Long.toString(value);
    return "0".repeat(Math.max(0, 20 - digits.length())) + digits;
  }
}
