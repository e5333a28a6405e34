package io.prebuilds.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.prebuilds.runtime.demo.DemoProvisioner;
import io.prebuilds.runtime.demo.DemoSettings;
import io.prebuilds.runtime.demo.Outgoing;
import io.prebuilds.schemas.Decoded;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.Command;

/**
 * A worker that follows the worker contract, on its own thread: it reads {@code
 * prebuilds.commands.v1} with {@code read_committed} in group {@link #GROUP}, lets a {@link
 * DemoProvisioner} answer each command (it dedupes by command id, builds creates within a second,
 * claims and deletes, refuses what the prebuilds user no longer owns) and publishes the answers
 * when they are due. Nothing fails and no plan drifts, so every change in a pool comes from
 * commands and claims.
 */
public final class ContractWorker implements AutoCloseable {
  public static final String GROUP = "contract-worker";

  private static final DemoSettings SETTINGS =
      new DemoSettings(
          Duration.ZERO,
          0.0,
          Duration.ofDays(1),
          Duration.ofDays(1),
          Duration.ofDays(1),
          Duration.ZERO,
          Integer.MAX_VALUE,
          7);

  private final DemoProvisioner provisioner = new DemoProvisioner(SETTINGS, "contract-worker");
  private final EventCodec codec = EventCodec.create();
  private final PriorityQueue<Queued> due =
      new PriorityQueue<>(
          Comparator.comparing((Queued q) -> q.outgoing().at()).thenComparingLong(Queued::order));
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final Thread thread;
  private volatile RuntimeException failure;
  private long order;

  private record Queued(Outgoing outgoing, long order) {}

  private ContractWorker(KafkaBroker kafka) {
    Properties consumerProperties = kafka.consumerProperties();
    consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer =
        new KafkaConsumer<>(
            consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
    producer = kafka.bytesProducer();
    thread = new Thread(this::run, "contract-worker");
    thread.setDaemon(true);
  }

  /** Starts answering commands. */
  public static ContractWorker start(KafkaBroker kafka) {
    var worker = new ContractWorker(kafka);
    worker.consumer.subscribe(List.of(Topics.COMMANDS.name()));
    worker.thread.start();
    return worker;
  }

  private void run() {
    try {
      while (running.get()) {
        var records = consumer.poll(Duration.ofMillis(50));
        Instant now = Instant.now();
        for (var record : records) {
          if (record.value() != null
              && codec.decode(Topics.COMMANDS, record.value())
                  instanceof Decoded.Accepted<Command> accepted) {
            provisioner
                .onCommand(accepted.envelope().data(), now)
                .forEach(outgoing -> due.add(new Queued(outgoing, order++)));
          }
        }
        publishDue(now);
        if (!records.isEmpty()) {
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        failure = e;
      }
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  private void publishDue(Instant now) {
    while (!due.isEmpty() && !due.peek().outgoing().at().isAfter(now)) {
      Outgoing next = due.poll().outgoing();
      producer.send(
          new ProducerRecord<>(
              next.topic().name(), next.envelope().subject(), codec.encode(next.envelope())));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(TimeUnit.SECONDS.toMillis(30));
    producer.close(Duration.ofSeconds(10));
    consumer.close(Duration.ofSeconds(10));
    if (failure != null) {
      throw new IllegalStateException("the contract worker failed", failure);
    }
  }
}
