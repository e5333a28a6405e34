package io.prebuilds.runtime.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.runtime.Stage;
import io.prebuilds.schemas.Decoded;
import io.prebuilds.schemas.EventCodec;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.Command;

/**
 * Runs a {@link DemoProvisioner} against Kafka on one thread: reads {@code prebuilds.commands.v1}
 * with {@code read_committed} (as every worker must), publishes its answers when they are due, a
 * claim every few seconds and inventory snapshots periodically. Offsets are committed after the
 * answers are queued; a command redelivered after a restart of the demo is deduplicated by id.
 */
public final class DemoWorkload implements AutoCloseable {
  /** The consumer group of the demo worker. */
  public static final String GROUP_ID = "prebuilds-demo-worker";

  private static final Logger log = LoggerFactory.getLogger(DemoWorkload.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final DemoProvisioner provisioner;
  private final DemoSettings settings;
  private final Clock clock;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final EventCodec codec = EventCodec.create();
  private final PriorityQueue<Queued> due =
      new PriorityQueue<>(
          Comparator.comparing((Queued q) -> q.outgoing().at()).thenComparingLong(Queued::order));
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private long order;

  private record Queued(Outgoing outgoing, long order) {}

  private DemoWorkload(DemoSettings settings, Clock clock, Properties clientProperties) {
    this.settings = settings;
    this.clock = clock;
    this.provisioner =
        new DemoProvisioner(settings, Long.toString(clock.instant().getEpochSecond(), 36));
    var consumerProperties = new Properties();
    consumerProperties.putAll(clientProperties);
    consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
    consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.consumer =
        new KafkaConsumer<>(
            consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
    var producerProperties = new Properties();
    producerProperties.putAll(clientProperties);
    producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    this.producer =
        new KafkaProducer<>(producerProperties, new StringSerializer(), new ByteArraySerializer());
    this.thread = new Thread(this::run, "demo-workload");
    this.thread.setDaemon(true);
  }

  /** A stage that runs the demo workload against the service's Kafka cluster. */
  public static Stage stage(DemoSettings settings) {
    return new Stage(
        "demo workload",
        context -> start(settings, context.clock(), context.config().streams().adminProperties()));
  }

  /** Starts the workload with the given client settings (bootstrap servers, security). */
  public static DemoWorkload start(
      DemoSettings settings, Clock clock, Properties clientProperties) {
    var workload = new DemoWorkload(settings, clock, clientProperties);
    workload.consumer.subscribe(List.of(Topics.COMMANDS.name()));
    workload.thread.start();
    log.atInfo()
        .addKeyValue("failureRate", settings.failureRate())
        .addKeyValue("claimInterval", settings.claimInterval())
        .log("demo workload started");
    return workload;
  }

  private void run() {
    Instant start = clock.instant();
    Instant nextClaim = start.plus(settings.firstClaimAfter());
    Instant nextInventory = start.plus(settings.inventoryInterval());
    enqueue(provisioner.templates(start));
    try {
      while (running.get()) {
        var records = consumer.poll(POLL);
        Instant now = clock.instant();
        for (ConsumerRecord<String, byte[]> record : records) {
          if (record.value() == null) {
            continue;
          }
          Decoded<Command> decoded = codec.decode(Topics.COMMANDS, record.value());
          if (decoded instanceof Decoded.Accepted<Command> accepted) {
            enqueue(provisioner.onCommand(accepted.envelope().data(), now));
          } else if (decoded instanceof Decoded.Rejected<Command> rejected) {
            log.atWarn()
                .addKeyValue("key", record.key())
                .addKeyValue("offset", record.offset())
                .log("demo worker skipped an invalid command: {}", rejected.error().message());
          }
        }
        if (!now.isBefore(nextClaim)) {
          enqueue(List.of(provisioner.claim(now)));
          nextClaim = now.plus(settings.claimInterval());
        }
        if (!now.isBefore(nextInventory)) {
          enqueue(provisioner.inventory(now));
          nextInventory = now.plus(settings.inventoryInterval());
        }
        publishDue(now);
        if (!records.isEmpty()) {
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (RuntimeException e) {
      log.atError().setCause(e).log("demo workload stopped");
    }
  }

  private void enqueue(List<Outgoing> outgoing) {
    outgoing.forEach(o -> due.add(new Queued(o, order++)));
  }

  private void publishDue(Instant now) {
    while (!due.isEmpty() && !due.peek().outgoing().at().isAfter(now)) {
      Outgoing next = due.poll().outgoing();
      producer.send(
          new ProducerRecord<>(
              next.topic().name(), next.envelope().subject(), codec.encode(next.envelope())),
          (metadata, error) -> {
            if (error != null) {
              log.atWarn()
                  .addKeyValue("topic", next.topic().name())
                  .addKeyValue("eventId", next.envelope().id())
                  .setCause(error)
                  .log("demo event not published");
            }
          });
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(Duration.ofSeconds(10).toMillis());
    producer.close(Duration.ofSeconds(5));
    consumer.close(Duration.ofSeconds(5));
    log.atInfo().log("demo workload stopped");
  }
}
