package io.prebuilds.cli;

import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.runtime.config.ProcessingGuarantee;
import io.prebuilds.schemas.Envelope;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.CancelPending;
import io.prebuilds.schemas.event.ClaimRequested;
import io.prebuilds.schemas.event.ClaimResult;
import io.prebuilds.schemas.event.ClaimWorkspace;
import io.prebuilds.schemas.event.Claimed;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CommandKind;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.EnsureMembership;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.ReinitializeAgent;
import io.prebuilds.testing.ContractWorker;
import io.prebuilds.testing.KafkaBroker;
import io.prebuilds.testing.TestTemplates;
import io.prebuilds.testing.TopicLog;
import io.prebuilds.testing.TopicLog.Isolation;

/**
 * Two instances share the partitions under load, and one of them, a child JVM running {@code
 * prebuilds run}, is killed with SIGKILL while commands flow; the other takes its partitions over
 * and fills every pool. The outcome is everything that was written, for the tests to audit.
 *
 * <p>Load: {@value #PRESETS} presets of {@value #DESIRED} prebuilds over {@value #PARTITIONS}
 * partitions, a {@link ContractWorker} answering commands, and a claim every {@value
 * #CLAIM_EVERY_MILLIS} ms, round robin over the presets, so pools keep emptying and refilling.
 *
 * <p>The child is killed once it has written {@value #CHILD_COMMANDS_BEFORE_KILL} commands and,
 * under exactly-once, while one of its transactions holds commands (it commits only every second),
 * so the command topic is left with an aborted transaction to audit.
 *
 * <p>Short group and transaction timeouts (the broker allows sessions from 1 s, and aborts timed
 * out transactions every second) let the survivor notice the dead member and get past its open
 * transaction within seconds.
 */
final class FailoverScenario {
  private static final int PARTITIONS = 8;
  private static final int PRESETS = 64;
  private static final int DESIRED = 2;
  private static final long CLAIM_EVERY_MILLIS = 40;
  private static final int CHILD_COMMANDS_BEFORE_KILL = 120;

  /**
   * The child commits (under exactly-once: ends its transactions) rarely, so it dies in one: every
   * second, and not at once after a fresh claim either.
   */
  private static final Map<String, String> CHILD_COMMITS =
      Map.of("commit.interval.ms", "1000", "prebuilds.claims.commit-within-ms", "0");

  private static final Map<String, String> SURVIVOR_COMMITS = Map.of("commit.interval.ms", "100");
  private static final Set<String> TASK_KEYED_KINDS =
      Set.of(CommandKind.CLAIM_WORKSPACE.wire(), CommandKind.REINITIALIZE_AGENT.wire());
  private static final String TEMPLATE = "tpl-failover";
  private static final String ORG = "org-failover";
  private static final String SOURCE = "/tests/failover";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Logger log = LoggerFactory.getLogger(FailoverScenario.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A command as written to {@code prebuilds.commands.v1}. */
  record Written(int partition, long offset, String id, String kind, String target) {
    /** Kind and target: what must be the same for every occurrence of one id. */
    String meaning() {
      return kind + " " + target;
    }
  }

  /** A claim result as written: which claim, its outcome and the workspace (if claimed). */
  record Answer(String claimId, String outcome, String workspaceId) {}

  /**
   * What the run wrote.
   *
   * @param committed the commands a {@code read_committed} reader sees
   * @param all every command record, those of aborted transactions included
   * @param killedAt the end of each partition of the command topic when the child was killed
   * @param claims the claim ids sent
   * @param answers the committed claim results
   * @param deadLetters records on the dead-letter topic
   * @param childOutput what the child printed and logged
   */
  record Outcome(
      List<Written> committed,
      List<Written> all,
      Map<Integer, Long> killedAt,
      Set<String> claims,
      List<Answer> answers,
      int deadLetters,
      String childOutput) {

    /** Records of aborted transactions: seen uncommitted, never committed. */
    List<Written> aborted() {
      Set<String> positions =
          committed.stream().map(w -> w.partition() + "@" + w.offset()).collect(Collectors.toSet());
      return all.stream()
          .filter(w -> !positions.contains(w.partition() + "@" + w.offset()))
          .toList();
    }

    /** Committed commands written after the kill, i.e. by the survivor. */
    List<Written> committedAfterKill() {
      return committed.stream().filter(w -> w.offset() >= killedAt.get(w.partition())).toList();
    }
  }

  private final EventCodec codec = EventCodec.create();
  private final ProcessingGuarantee guarantee;
  private final Path directory;

  FailoverScenario(ProcessingGuarantee guarantee, Path directory) {
    this.guarantee = guarantee;
    this.directory = directory;
  }

  Outcome run() throws Exception {
    try (var kafka =
        new KafkaBroker(
            Map.of(
                "group.min.session.timeout.ms", "1000",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"))) {
      kafka.start();
      kafka.createTopics(
          Topics.all().stream().map(t -> t.newTopic(PARTITIONS, (short) 1)).toList());
      try (var admin = kafka.admin()) {
        await()
            .atMost(WAIT)
            .until(
                () ->
                    admin
                        .listTopics()
                        .names()
                        .get()
                        .containsAll(Topics.all().stream().map(TopicSpec::name).toList()));
        return run(kafka, admin);
      }
    }
  }

  private Outcome run(KafkaBroker kafka, Admin admin) throws Exception {
    var applicationId = "prebuilds-failover-" + guarantee.configValue();
    var claims = ConcurrentHashMap.<String>newKeySet();
    Map<Integer, Long> killedAt;
    String childOutput;
    try (var producer = kafka.bytesProducer();
        var child =
            ChildInstance.start(
                directory,
                settings(kafka, applicationId, "child", CHILD_COMMITS),
                Map.of("KAFKA_PORT", "tcp://10.0.0.1:9092", "KAFKA_SERVICE_HOST", "10.0.0.1"));
        var survivor =
            InProcessInstance.start(
                "survivor", settings(kafka, applicationId, "survivor", SURVIVOR_COMMITS));
        var worker = ContractWorker.start(kafka)) {
      await()
          .atMost(WAIT)
          .until(
              () -> {
                var members = members(admin, applicationId);
                return members.size() == 2
                    && members.stream().noneMatch(m -> partitions(m).isEmpty());
              });
      send(
          producer,
          Topics.TEMPLATES,
          TEMPLATE,
          "template/" + TEMPLATE,
          TestTemplates.withPresets(
              TEMPLATE,
              ORG,
              IntStream.range(0, PRESETS)
                  .boxed()
                  .collect(Collectors.toMap(FailoverScenario::presetId, i -> DESIRED))));
      var load = Executors.newSingleThreadScheduledExecutor();
      var sent = new AtomicInteger();
      load.scheduleAtFixedRate(
          () -> {
            int n = sent.incrementAndGet();
            String claimId = "claim-" + n;
            claims.add(claimId);
            send(
                producer,
                Topics.CLAIMS,
                presetId(n % PRESETS),
                "claim/" + claimId,
                claim(claimId, n % PRESETS));
          },
          0,
          CLAIM_EVERY_MILLIS,
          TimeUnit.MILLISECONDS);
      try {
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> childCommands(kafka, admin, applicationId) >= CHILD_COMMANDS_BEFORE_KILL);
        Set<Integer> childPartitions = childPartitions(admin, applicationId);
        if (guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2) {
          await()
              .atMost(WAIT)
              .pollInterval(Duration.ofMillis(10))
              .until(() -> childTransactionHoldsCommands(kafka, admin, childPartitions));
        }
        child.kill();
        killedAt = endOffsets(admin, IsolationLevel.READ_UNCOMMITTED);
        log.atInfo()
            .addKeyValue("childPartitions", childPartitions)
            .addKeyValue("killedAt", killedAt)
            .log("child instance killed");
        await()
            .atMost(WAIT)
            .until(
                () -> {
                  var members = members(admin, applicationId);
                  return members.size() == 1
                      && members.get(0).clientId().startsWith("survivor")
                      && partitions(members.get(0)).size() == PARTITIONS;
                });
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    TopicLog.read(kafka, Topics.COMMANDS.name(), Isolation.READ_COMMITTED).stream()
                        .anyMatch(
                            r ->
                                childPartitions.contains(r.partition())
                                    && r.offset() >= killedAt.get(r.partition())));
      } finally {
        load.shutdownNow();
        load.awaitTermination(10, TimeUnit.SECONDS);
      }
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  answers(kafka).stream()
                      .map(Answer::claimId)
                      .collect(Collectors.toSet())
                      .containsAll(claims));
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> poolsFull(survivor));
      childOutput = child.output();
    }
    return new Outcome(
        commands(kafka, Isolation.READ_COMMITTED),
        commands(kafka, Isolation.READ_UNCOMMITTED),
        killedAt,
        Set.copyOf(claims),
        answers(kafka),
        TopicLog.read(kafka, Topics.DLQ.name(), Isolation.READ_UNCOMMITTED).size(),
        childOutput);
  }

  /**
   * The same settings for both instances but their names, ports, state directories and when they
   * commit.
   */
  private Map<String, String> settings(
      KafkaBroker kafka, String applicationId, String name, Map<String, String> commits)
      throws Exception {
    int port = freePort();
    var settings = new HashMap<String, String>();
    settings.put("bootstrap.servers", kafka.bootstrapServers());
    settings.put("application.id", applicationId);
    settings.put("client.id", name);
    settings.put("state.dir", Files.createDirectories(directory.resolve(name)).toString());
    settings.put("processing.guarantee", guarantee.configValue());
    settings.putAll(commits);
    settings.put("num.standby.replicas", "1");
    settings.put("prebuilds.topics.partitions", Integer.toString(PARTITIONS));
    settings.put("prebuilds.topics.replication-factor", "1");
    settings.put("prebuilds.http.host", "127.0.0.1");
    settings.put("prebuilds.http.port", Integer.toString(port));
    settings.put("application.server", "127.0.0.1:" + port);
    settings.put("prebuilds.shutdown.timeout-seconds", "20");
    settings.put("consumer.session.timeout.ms", "3000");
    settings.put("consumer.heartbeat.interval.ms", "500");
    settings.put("producer.transaction.timeout.ms", "5000");
    return settings;
  }

  /** The members of the application's consumer group; none while the group does not exist. */
  private static List<MemberDescription> members(Admin admin, String applicationId)
      throws Exception {
    try {
      return List.copyOf(
          admin
              .describeConsumerGroups(List.of(applicationId))
              .all()
              .get()
              .get(applicationId)
              .members());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return List.of();
      }
      throw e;
    }
  }

  /** The partitions of the builds topic assigned to a member (one per preset task). */
  private static Set<Integer> partitions(MemberDescription member) {
    return member.assignment().topicPartitions().stream()
        .filter(p -> p.topic().equals(Topics.BUILDS.name()))
        .map(TopicPartition::partition)
        .collect(Collectors.toSet());
  }

  private static Set<Integer> childPartitions(Admin admin, String applicationId) throws Exception {
    return members(admin, applicationId).stream()
        .filter(m -> m.clientId().startsWith("child"))
        .flatMap(m -> partitions(m).stream())
        .collect(Collectors.toSet());
  }

  /** Commands written so far, aborted or not, on the partitions the child owns now. */
  private static long childCommands(KafkaBroker kafka, Admin admin, String applicationId)
      throws Exception {
    Set<Integer> owned = childPartitions(admin, applicationId);
    return TopicLog.read(kafka, Topics.COMMANDS.name(), Isolation.READ_UNCOMMITTED).stream()
        .filter(r -> owned.contains(r.partition()))
        .count();
  }

  /**
   * Whether a transaction of the child is open with commands in it: a claim or an agent
   * reinitialization past the last stable offset of a partition the child owns. Only those two tell
   * who wrote them: they are keyed by preset and written by the task of the preset's partition,
   * while creates and deletes come from the organization's admission stage, which either instance
   * may own. The records are read before the offsets, so one found past the last stable offset was
   * still uncommitted after it was read.
   */
  private boolean childTransactionHoldsCommands(
      KafkaBroker kafka, Admin admin, Set<Integer> childPartitions) throws Exception {
    var written = commands(kafka, Isolation.READ_UNCOMMITTED);
    var stable = endOffsets(admin, IsolationLevel.READ_COMMITTED);
    return written.stream()
        .anyMatch(
            w ->
                childPartitions.contains(w.partition())
                    && w.offset() >= stable.get(w.partition())
                    && TASK_KEYED_KINDS.contains(w.kind()));
  }

  /** The end of each partition of the command topic, or its last stable offset. */
  private static Map<Integer, Long> endOffsets(Admin admin, IsolationLevel isolation)
      throws Exception {
    var request =
        IntStream.range(0, PARTITIONS)
            .boxed()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(Topics.COMMANDS.name(), p), p -> OffsetSpec.latest()));
    var result = admin.listOffsets(request, new ListOffsetsOptions(isolation)).all().get();
    var offsets = new TreeMap<Integer, Long>();
    result.forEach((partition, info) -> offsets.put(partition.partition(), info.offset()));
    return offsets;
  }

  /** Every preset has its desired number of eligible prebuilds, as the survivor answers. */
  private static boolean poolsFull(InProcessInstance survivor) throws Exception {
    var response = survivor.get("api/v1/presets");
    if (response.statusCode() != 200) {
      return false;
    }
    JsonNode body = JSON.readTree(response.body());
    JsonNode presets = body.get("presets");
    if (!body.get("complete").asBoolean() || presets.size() != PRESETS) {
      return false;
    }
    for (JsonNode preset : presets) {
      if (preset.get("eligible").asInt() != DESIRED || preset.get("running").asInt() != DESIRED) {
        return false;
      }
    }
    return true;
  }

  private List<Written> commands(KafkaBroker kafka, Isolation isolation) {
    var written = new ArrayList<Written>();
    for (ConsumerRecord<String, byte[]> record :
        TopicLog.read(kafka, Topics.COMMANDS.name(), isolation)) {
      var command = (Command) codec.decode(Topics.COMMANDS, record.value()).orElseThrow().data();
      written.add(
          new Written(
              record.partition(),
              record.offset(),
              command.commandId(),
              command.kind().wire(),
              target(command)));
    }
    return written;
  }

  /** What a command acts on: its workspace, the commands it cancels, or its organization. */
  private static String target(Command command) {
    return switch (command.kind()) {
      case CREATE_PREBUILD -> ((CreatePrebuild) command).workspaceId();
      case DELETE_PREBUILD -> ((DeletePrebuild) command).workspaceId();
      case CLAIM_WORKSPACE -> {
        var claim = (ClaimWorkspace) command;
        yield claim.workspaceId() + " for " + claim.claimId();
      }
      case REINITIALIZE_AGENT -> ((ReinitializeAgent) command).workspaceId();
      case CANCEL_PENDING -> ((CancelPending) command).commandIds().toString();
      case ENSURE_MEMBERSHIP -> ((EnsureMembership) command).organizationId();
    };
  }

  private List<Answer> answers(KafkaBroker kafka) {
    var answers = new ArrayList<Answer>();
    for (ConsumerRecord<String, byte[]> record :
        TopicLog.read(kafka, Topics.CLAIM_RESULTS.name(), Isolation.READ_COMMITTED)) {
      var result =
          (ClaimResult) codec.decode(Topics.CLAIM_RESULTS, record.value()).orElseThrow().data();
      answers.add(
          new Answer(
              result.claimId(),
              result.outcome().wire(),
              result instanceof Claimed claimed ? claimed.workspaceId() : null));
    }
    return answers;
  }

  private static String presetId(int index) {
    return "p-%02d".formatted(index);
  }

  private static ClaimRequested claim(String claimId, int preset) {
    var now = Instant.now();
    return new ClaimRequested(
        claimId,
        presetId(preset),
        ORG,
        "user-" + claimId,
        "alice",
        claimId + "-ws",
        now,
        now.plusSeconds(60));
  }

  private void send(
      KafkaProducer<String, byte[]> producer,
      TopicSpec<?> topic,
      String key,
      String id,
      Event data) {
    producer.send(
        new ProducerRecord<>(
            topic.name(), key, codec.encode(Envelope.of(SOURCE, id, Instant.now(), data))));
  }

  private static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
