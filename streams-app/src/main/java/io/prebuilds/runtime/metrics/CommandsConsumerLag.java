package io.prebuilds.runtime.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.schemas.Topics;

/**
 * {@code prebuilds_commands_consumer_group_lag}: how far each workers' consumer group is behind the
 * commands topic, so an alert fires when workers stop carrying out creates, deletes and claims.
 *
 * <p>The groups are discovered, not configured: every consumer group with committed offsets on the
 * commands topic is a worker group. Lag is measured against the last stable offset (what a
 * read_committed worker can read) and summed over partitions. Refreshed in the background, since a
 * scrape must not wait on the cluster; a failed refresh keeps the last values and logs once per
 * failure streak.
 */
final class CommandsConsumerLag implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CommandsConsumerLag.class);
  private static final long TIMEOUT_SECONDS = 10;

  private final Admin admin;
  private final GroupLagGauge lag;
  private final ScheduledExecutorService scheduler;
  private boolean failing;

  private CommandsConsumerLag(Admin admin, GroupLagGauge lag, ScheduledExecutorService scheduler) {
    this.admin = admin;
    this.lag = lag;
    this.scheduler = scheduler;
  }

  /** Starts refreshing every {@code interval}, the first time at once. */
  static CommandsConsumerLag start(Admin admin, MeterRegistry registry, Duration interval) {
    var gauge = new GroupLagGauge(registry);
    var scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              var thread = new Thread(runnable, "prebuilds-commands-lag");
              thread.setDaemon(true);
              return thread;
            });
    var poller = new CommandsConsumerLag(admin, gauge, scheduler);
    scheduler.scheduleWithFixedDelay(
        poller::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return poller;
  }

  private void refresh() {
    try {
      lag.update(lagByGroup());
      failing = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      if (!failing) {
        log.atWarn()
            .setCause(e)
            .log("could not read the workers' consumer group offsets; lag metric not refreshed");
      }
      failing = true;
    }
  }

  /** Lag per worker group, summed over the partitions of the commands topic. */
  Map<String, Long> lagByGroup() throws InterruptedException, ExecutionException, TimeoutException {
    var groups =
        admin
            .listGroups(ListGroupsOptions.forConsumerGroups())
            .all()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .stream()
            .map(GroupListing::groupId)
            .toList();
    if (groups.isEmpty()) {
      return Map.of();
    }
    var specs = new HashMap<String, ListConsumerGroupOffsetsSpec>();
    groups.forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
    var offsets = admin.listConsumerGroupOffsets(specs);
    var committed = new TreeMap<String, Map<TopicPartition, Long>>();
    var partitions = new HashMap<TopicPartition, OffsetSpec>();
    for (var group : groups) {
      Map<TopicPartition, OffsetAndMetadata> groupOffsets =
          offsets.partitionsToOffsetAndMetadata(group).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      var onCommands = new HashMap<TopicPartition, Long>();
      groupOffsets.forEach(
          (partition, offset) -> {
            if (offset != null && partition.topic().equals(Topics.COMMANDS.name())) {
              onCommands.put(partition, offset.offset());
              partitions.put(partition, OffsetSpec.latest());
            }
          });
      if (!onCommands.isEmpty()) {
        committed.put(group, onCommands);
      }
    }
    if (committed.isEmpty()) {
      return Map.of();
    }
    var ends =
        admin
            .listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .all()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    var lags = new TreeMap<String, Long>();
    committed.forEach(
        (group, groupOffsets) -> {
          long total = 0;
          for (var entry : groupOffsets.entrySet()) {
            total += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue());
          }
          lags.put(group, total);
        });
    return lags;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    lag.clear();
    admin.close(Duration.ofSeconds(5));
  }
}
