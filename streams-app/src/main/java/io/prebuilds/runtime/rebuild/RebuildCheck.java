package io.prebuilds.runtime.rebuild;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.runtime.config.RebuildMode;
import io.prebuilds.schemas.TopicSpec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.topology.RebuildGate;

/**
 * Decides, before Kafka Streams starts, whether this start is a rebuild, and captures "the input as
 * it was at start-up": the read-committed end offset of every input partition that holds records.
 *
 * <p>In {@link RebuildMode#AUTO} a start is a rebuild when the inputs hold records and the
 * application's consumer group has consumed none of them: no committed offset past the start of any
 * input partition. That covers a new {@code application.id}, a first start on topics producers
 * filled first, and {@code kafka-streams-application-reset}, which commits the earliest offsets
 * rather than deleting them. A start with offsets past the start resumes where the group left off,
 * and what it reads is new. The global settings topic is not an input here: its store is always
 * restored in full before processing starts.
 */
public final class RebuildCheck {

  private static final Logger log = LoggerFactory.getLogger(RebuildCheck.class);
  private static final long TIMEOUT_SECONDS = 30;

  private RebuildCheck() {}

  /** The topics whose history a rebuild replays without answering it. */
  static List<TopicSpec<?>> inputs() {
    return Topics.inputs().stream().filter(topic -> !topic.equals(Topics.SETTINGS)).toList();
  }

  /**
   * The rebuild gate for this start.
   *
   * @throws IllegalStateException if the cluster cannot be asked (the start fails and is retried)
   */
  public static RebuildGate gate(Admin admin, String applicationId, RebuildMode mode) {
    if (mode == RebuildMode.NEVER) {
      return RebuildGate.none();
    }
    try {
      List<TopicPartition> partitions = partitions(admin);
      Map<TopicPartition, ListOffsetsResultInfo> starts =
          offsets(admin, partitions, OffsetSpec.earliest());
      if (mode == RebuildMode.AUTO && consumedAny(admin, applicationId, starts)) {
        log.atInfo()
            .addKeyValue("applicationId", applicationId)
            .log("committed offsets found: resuming, not a rebuild");
        return RebuildGate.none();
      }
      Map<TopicPartition, Long> history = history(admin, partitions, starts);
      RebuildGate gate = RebuildGate.until(history);
      if (gate.active()) {
        log.atInfo()
            .addKeyValue("applicationId", applicationId)
            .addKeyValue("mode", mode.configValue())
            .addKeyValue("partitions", history.size())
            .log(
                "rebuild: the input already in the topics rebuilds state only; no commands,"
                    + " notifications or claim results until each task has caught up");
      }
      return gate;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read offsets to decide on a rebuild: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deciding on a rebuild", e);
    }
  }

  private static List<TopicPartition> partitions(Admin admin)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, TopicDescription> topics =
        admin
            .describeTopics(inputs().stream().map(TopicSpec::name).toList())
            .allTopicNames()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return topics.values().stream()
        .flatMap(
            topic ->
                topic.partitions().stream()
                    .map(partition -> new TopicPartition(topic.name(), partition.partition())))
        .toList();
  }

  /** Whether the group committed an offset past the start of any input partition. */
  private static boolean consumedAny(
      Admin admin, String applicationId, Map<TopicPartition, ListOffsetsResultInfo> starts)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(applicationId)
            .partitionsToOffsetAndMetadata()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return starts.entrySet().stream()
        .anyMatch(
            start -> {
              OffsetAndMetadata offset = committed.get(start.getKey());
              return offset != null && offset.offset() > start.getValue().offset();
            });
  }

  /** Every input partition holding records, with its read-committed end offset. */
  private static Map<TopicPartition, Long> history(
      Admin admin,
      List<TopicPartition> partitions,
      Map<TopicPartition, ListOffsetsResultInfo> starts)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        offsets(admin, partitions, OffsetSpec.latest());
    Map<TopicPartition, Long> history = new HashMap<>();
    ends.forEach(
        (partition, end) -> {
          if (end.offset() > starts.get(partition).offset()) {
            history.put(partition, end.offset());
          }
        });
    return history;
  }

  private static Map<TopicPartition, ListOffsetsResultInfo> offsets(
      Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(partition -> request.put(partition, spec));
    return admin
        .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
