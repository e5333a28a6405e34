package io.prebuilds.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.EventSerdes;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.AgentStatusChanged;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.BuildStatus;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimResult;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.FailureKind;
import io.prebuilds.schemas.event.Lifecycle;
import io.prebuilds.schemas.event.Notification;
import io.prebuilds.schemas.event.PresetSnapshot;
import io.prebuilds.schemas.event.PresetStateEvent;
import io.prebuilds.schemas.event.TemplateSnapshot;
import io.prebuilds.schemas.event.Transition;
import io.prebuilds.schemas.event.UserRef;

/**
 * The real topology in a {@link TopologyTestDriver} with a virtual wall clock, and builders for the
 * events the tests pipe in. One template "tpl" of organization "org" with versions "v1"/"v2".
 */
final class TopologyHarness implements AutoCloseable {

  static final Instant T0 = Instant.parse("2025-06-02T08:00:00Z");
  static final String SOURCE = "/tests";
  static final String TEMPLATE = "tpl";
  static final String ORG = "org";
  static final String SYSTEM_USER = EventMapping.PREBUILDS_SYSTEM_USER;

  private final EventCodec codec = EventCodec.create();
  final TopologyTestDriver driver;
  private final TestInputTopic<String, byte[]> templates;
  private final TestInputTopic<String, byte[]> builds;
  private final TestInputTopic<String, byte[]> claims;
  private final TestInputTopic<String, byte[]> control;
  private final TestInputTopic<String, byte[]> settingsTopic;
  private final TestInputTopic<String, byte[]> inventory;
  private final TestInputTopic<String, byte[]> planDrift;
  private final TestInputTopic<String, byte[]> commandResults;
  private final TestOutputTopic<String, Envelope<Command>> commands;
  private final TestOutputTopic<String, Envelope<ClaimResult>> claimResults;
  private final TestOutputTopic<String, Envelope<Notification>> notifications;
  private final TestOutputTopic<String, Envelope<PresetStateEvent>> presetStates;
  private Instant now = T0;
  private int eventSeq;

  TopologyHarness() {
    this(TopologySettings.defaults(1));
  }

  TopologyHarness(TopologySettings settings) {
    this(settings, TopologyMetrics.NONE);
  }

  TopologyHarness(TopologySettings settings, TopologyMetrics metrics) {
    this(settings, metrics, RebuildGate.none());
  }

  TopologyHarness(TopologySettings settings, TopologyMetrics metrics, RebuildGate rebuild) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "prebuilds-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, tempStateDir());
    props.putAll(PrebuildsTopology.requiredStreamsConfig(metrics));
    driver = new TopologyTestDriver(PrebuildsTopology.build(settings, metrics, rebuild), props, T0);
    templates = input(Topics.TEMPLATES.name());
    builds = input(Topics.BUILDS.name());
    claims = input(Topics.CLAIMS.name());
    control = input(Topics.CONTROL.name());
    settingsTopic = input(Topics.SETTINGS.name());
    inventory = input(Topics.INVENTORY.name());
    planDrift = input(Topics.PLAN_DRIFT.name());
    commandResults = input(Topics.COMMAND_RESULTS.name());
    commands = output(Topics.COMMANDS.name(), EventSerdes.forTopic(Topics.COMMANDS).deserializer());
    claimResults =
        output(
            Topics.CLAIM_RESULTS.name(), EventSerdes.forTopic(Topics.CLAIM_RESULTS).deserializer());
    notifications =
        output(
            Topics.NOTIFICATIONS.name(), EventSerdes.forTopic(Topics.NOTIFICATIONS).deserializer());
    presetStates =
        output(
            Topics.PRESET_STATE.name(), EventSerdes.forTopic(Topics.PRESET_STATE).deserializer());
  }

  private static String tempStateDir() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("prebuilds-ttd-");
      dir.toFile().deleteOnExit();
      return dir.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  Instant now() {
    return now;
  }

  void advance(Duration by) {
    now = now.plus(by);
    driver.advanceWallClockTime(by);
  }

  // ---- inputs -------------------------------------------------------------------------------

  void template(TemplateSnapshot snapshot) {
    templates.pipeInput(snapshot.templateId(), encode(snapshot), now);
  }

  void templateTombstone(String templateId) {
    templates.pipeInput(templateId, null, now);
  }

  void build(BuildCompleted build) {
    builds.pipeInput(build.presetId(), encode(build), now);
  }

  void agentsReady(String presetId, String workspaceId, int buildNumber) {
    builds.pipeInput(
        presetId,
        encode(new AgentStatusChanged(presetId, workspaceId, buildNumber, true, now)),
        now);
  }

  void control(io.prebuilds.schemas.event.ControlEvent event) {
    control.pipeInput(event.key(), encode(event), now);
  }

  void paused(boolean paused) {
    settingsTopic.pipeInput(
        io.prebuilds.schemas.event.Keys.GLOBAL,
        encode(new io.prebuilds.schemas.event.GlobalSettings(paused, "ops", now)),
        now);
  }

  void inventory(io.prebuilds.schemas.event.InventorySnapshot snapshot) {
    inventory.pipeInput(snapshot.presetId(), encode(snapshot), now);
  }

  void planDrift(io.prebuilds.schemas.event.PlanDriftDetected drift) {
    planDrift.pipeInput(drift.presetId(), encode(drift), now);
  }

  byte[] planDriftBytes(io.prebuilds.schemas.event.PlanDriftDetected drift) {
    return encode(drift);
  }

  void rawPlanDrift(String presetId, byte[] value) {
    planDrift.pipeInput(presetId, value, now);
  }

  void commandResult(String key, io.prebuilds.schemas.event.CommandResult result) {
    commandResults.pipeInput(key, encode(result), now);
  }

  void rawBuild(String presetId, byte[] value) {
    builds.pipeInput(presetId, value, now);
  }

  Envelope<ClaimRequested> claim(String presetId, String claimId, String userId, Duration within) {
    ClaimRequested claim =
        new ClaimRequested(
            claimId, presetId, ORG, userId, userId, userId + "-ws", now, now.plus(within));
    Envelope<ClaimRequested> envelope = Envelope.of(SOURCE, "claim-" + claimId, now, claim);
    claims.pipeInput(presetId, codec.encode(envelope), now);
    return envelope;
  }

  void pipeClaimAgain(Envelope<ClaimRequested> envelope, String newEventId) {
    Envelope<ClaimRequested> again = Envelope.of(SOURCE, newEventId, now, envelope.data());
    claims.pipeInput(envelope.data().presetId(), codec.encode(again), now);
  }

  /** Answers every create with a successful start and ready agents: the pool fills. */
  List<String> completeCreates(List<CreatePrebuild> creates) {
    List<String> workspaces = new ArrayList<>();
    for (CreatePrebuild create : creates) {
      build(
          startSucceeded(
              create.presetId(),
              create.workspaceId(),
              1,
              create.commandId(),
              create.templateVersionId()));
      agentsReady(create.presetId(), create.workspaceId(), 1);
      workspaces.add(create.workspaceId());
    }
    return workspaces;
  }

  // ---- event builders -----------------------------------------------------------------------

  static TemplateSnapshot template(String activeVersion, List<TemplateSnapshot.Version> versions) {
    return template(activeVersion, versions, false, false);
  }

  static TemplateSnapshot template(
      String activeVersion,
      List<TemplateSnapshot.Version> versions,
      boolean deprecated,
      boolean deleted) {
    return new TemplateSnapshot(
        TEMPLATE,
        "python-dev",
        ORG,
        "acme",
        List.of(new UserRef("admin-1", "platform-admin")),
        deprecated,
        deleted,
        activeVersion,
        new Lifecycle(
            OptionalLong.of(28800),
            Optional.of("30 8 * * 1-5"),
            java.util.OptionalInt.empty(),
            OptionalLong.empty()),
        versions,
        T0);
  }

  static TemplateSnapshot.Version version(String versionId, TemplateSnapshot.Preset... presets) {
    return new TemplateSnapshot.Version(versionId, versionId, List.of(presets));
  }

  static TemplateSnapshot.Preset preset(String presetId, int desired) {
    return new TemplateSnapshot.Preset(
        presetId,
        presetId + "-name",
        desired,
        Optional.empty(),
        List.of(),
        OptionalLong.empty(),
        Optional.empty());
  }

  static TemplateSnapshot.Preset preset(
      String presetId,
      int desired,
      String timezone,
      List<TemplateSnapshot.Schedule> schedules,
      OptionalLong ttlSeconds) {
    return new TemplateSnapshot.Preset(
        presetId,
        presetId + "-name",
        desired,
        Optional.of(timezone),
        schedules,
        ttlSeconds,
        Optional.empty());
  }

  BuildCompleted startSucceeded(
      String presetId, String workspaceId, int buildNumber, String commandId, String versionId) {
    return build(
        presetId,
        workspaceId,
        buildNumber,
        commandId,
        versionId,
        Transition.START,
        BuildStatus.SUCCEEDED,
        null);
  }

  /** A build the prebuilds system user started. */
  BuildCompleted build(
      String presetId,
      String workspaceId,
      int buildNumber,
      String commandId,
      String versionId,
      Transition transition,
      BuildStatus status,
      FailureKind failureKind) {
    return build(
        presetId,
        workspaceId,
        buildNumber,
        commandId,
        null,
        versionId,
        transition,
        status,
        failureKind,
        SYSTEM_USER);
  }

  /**
   * A successful build that user {@code userId} started, serving the claim {@code claimId} or none:
   * how the builds of a claimed workspace arrive once it is the user's.
   */
  BuildCompleted usersBuild(
      String presetId,
      String workspaceId,
      int buildNumber,
      String claimId,
      String versionId,
      Transition transition,
      String userId) {
    return build(
        presetId,
        workspaceId,
        buildNumber,
        null,
        claimId,
        versionId,
        transition,
        BuildStatus.SUCCEEDED,
        null,
        userId);
  }

  private BuildCompleted build(
      String presetId,
      String workspaceId,
      int buildNumber,
      String commandId,
      String claimId,
      String versionId,
      Transition transition,
      BuildStatus status,
      FailureKind failureKind,
      String initiator) {
    return new BuildCompleted(
        presetId,
        workspaceId,
        workspaceId + "-b" + buildNumber,
        buildNumber,
        Optional.ofNullable(commandId),
        Optional.ofNullable(claimId),
        TEMPLATE,
        versionId,
        ORG,
        transition,
        status,
        Optional.ofNullable(failureKind),
        initiator,
        now);
  }

  // ---- outputs ------------------------------------------------------------------------------

  List<Command> commands() {
    return commands.readValuesToList().stream().map(Envelope::data).toList();
  }

  List<TestRecord<String, Envelope<Command>>> commandRecords() {
    return commands.readRecordsToList();
  }

  <C extends Command> List<C> commands(List<Command> all, Class<C> kind) {
    return all.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  List<ClaimResult> claimResults() {
    return claimResults.readValuesToList().stream().map(Envelope::data).toList();
  }

  List<Notification> notifications() {
    return notifications.readValuesToList().stream().map(Envelope::data).toList();
  }

  List<PresetSnapshot> presetStates() {
    return presetStates.readValuesToList().stream().map(e -> (PresetSnapshot) e.data()).toList();
  }

  /** The ids of the preset-state records written since the last read. */
  List<String> presetStateIds() {
    return presetStates.readValuesToList().stream().map(Envelope::id).toList();
  }

  /** Keys of preset-state tombstones written since the last read (other records are dropped). */
  List<String> presetStateTombstones() {
    return presetStates.readRecordsToList().stream()
        .filter(r -> r.value() == null)
        .map(TestRecord::key)
        .toList();
  }

  /** The last preset-state record published for a preset since the last read. */
  PresetSnapshot lastState(String presetId) {
    List<PresetSnapshot> states =
        presetStates().stream().filter(s -> s.presetId().equals(presetId)).toList();
    if (states.isEmpty()) {
      throw new AssertionError("no preset-state record for " + presetId);
    }
    return states.get(states.size() - 1);
  }

  /** The preset as the preset state store holds it, or null. */
  StoredPreset stored(String presetId) {
    return driver
        .<String, StoredPreset>getKeyValueStore(PrebuildsTopology.PRESET_STATE_STORE)
        .get(presetId);
  }

  byte[] encode(Event data) {
    return codec.encode(Envelope.of(SOURCE, "evt-" + (++eventSeq), now, data));
  }

  private TestInputTopic<String, byte[]> input(String topic) {
    return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
  }

  private <V> TestOutputTopic<String, V> output(
      String topic, org.apache.kafka.common.serialization.Deserializer<V> values) {
    return driver.createOutputTopic(topic, new StringDeserializer(), values);
  }

  @Override
  public void close() {
    driver.close();
  }
}
