package io.prebuilds.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.prebuilds.bench.BenchBroker;
import io.prebuilds.bench.Samples;
import io.prebuilds.reconcile.PresetDefinition;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;

/**
 * Claims sent while an application catches up on a backlog: how long each waited to be decided (its
 * result's timestamp, the time of the decision, minus when it was sent). The commit is left out on
 * purpose: what this shows is how long a claim waits behind the backlog before the stream thread
 * gets to it (docs/benchmarks.md, "Claims behind the fetch").
 */
final class CatchUpClaims implements AutoCloseable {

  private static final String SOURCE = "/bench/catch-up-claims";

  private final EventCodec codec = EventCodec.create();
  private final int presets;
  private final String prefix;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> results;
  private final ScheduledExecutorService sender;
  private final Thread reader;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicInteger sequence = new AtomicInteger();
  private final Map<String, Long> sentAtMillis = new ConcurrentHashMap<>();
  private final Map<String, Long> decidedAfterMillis = new ConcurrentHashMap<>();

  private CatchUpClaims(BenchBroker broker, int presets, String prefix) {
    this.presets = presets;
    this.prefix = prefix;
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    // the result's timestamp is what is measured, so an uncommitted result is as good
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    consumerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    this.results =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : results.partitionsFor(Topics.CLAIM_RESULTS.name())) {
      partitions.add(new TopicPartition(info.topic(), info.partition()));
    }
    results.assign(partitions);
    results.seekToEnd(partitions);
    partitions.forEach(results::position);
    this.sender = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-claims"));
    this.reader = new Thread(this::read, "bench-claim-results");
  }

  /** Starts sending {@code perSecond} claims a second to presets {@code 0..presets-1}. */
  static CatchUpClaims start(BenchBroker broker, int presets, int perSecond, String prefix) {
    CatchUpClaims claims = new CatchUpClaims(broker, presets, prefix);
    claims.reader.start();
    claims.sender.scheduleAtFixedRate(
        claims::send, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
    return claims;
  }

  private void send() {
    String claimId = prefix + "-" + sequence.incrementAndGet();
    PresetDefinition preset =
        E2eTraffic.definition(ThreadLocalRandom.current().nextInt(presets), 1);
    byte[] value = codec.encode(E2eTraffic.claim(preset, claimId, SOURCE, Instant.now()));
    sentAtMillis.put(claimId, System.currentTimeMillis());
    producer.send(new ProducerRecord<>(Topics.CLAIMS.name(), preset.presetId(), value));
  }

  private void read() {
    while (!stopped.get()) {
      for (ConsumerRecord<String, byte[]> record : results.poll(Duration.ofMillis(50))) {
        Long sentMillis = sentAtMillis.get(record.key());
        if (sentMillis != null) {
          decidedAfterMillis.putIfAbsent(record.key(), record.timestamp() - sentMillis);
        }
      }
    }
  }

  /** Stops sending; waits up to {@code timeout} for the claims sent to be answered. */
  Samples stop(Duration timeout) throws InterruptedException {
    sender.shutdownNow();
    sender.awaitTermination(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (decidedAfterMillis.size() < sentAtMillis.size() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Samples samples = new Samples();
    decidedAfterMillis.values().forEach(ms -> samples.add(TimeUnit.MILLISECONDS.toNanos(ms)));
    return samples;
  }

  @Override
  public void close() throws InterruptedException {
    sender.shutdownNow();
    stopped.set(true);
    reader.join(5_000);
    results.close();
    producer.close(Duration.ofSeconds(5));
  }
}
