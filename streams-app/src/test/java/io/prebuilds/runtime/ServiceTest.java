package io.prebuilds.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.config.ConfigLoader;
import io.prebuilds.runtime.config.ConfigSources;
import io.prebuilds.testing.KafkaBroker;

/** The runtime around a real Kafka Streams app on a real broker, observed over HTTP. */
class ServiceTest {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  @TempDir Path stateDir;

  private final HttpClient http = HttpClient.newHttpClient();

  private AppConfig config(Map<String, String> extra) {
    var settings = new java.util.HashMap<String, String>();
    settings.put("bootstrap.servers", kafka.bootstrapServers());
    settings.put("application.id", "service-test-" + UUID.randomUUID());
    settings.put("state.dir", stateDir.toString());
    settings.put("prebuilds.http.host", "127.0.0.1");
    settings.put("prebuilds.http.port", "0");
    settings.put("prebuilds.topics.replication-factor", "1");
    settings.put("num.standby.replicas", "0");
    settings.putAll(extra);
    return ConfigLoader.load(
            new ConfigSources(settings, Optional.empty(), Map.of(), Map.of(), Map.of()))
        .config();
  }

  private static Topology passThrough(String in, String out, String poison) {
    var builder = new StreamsBuilder();
    builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
        .peek(
            (key, value) -> {
              if (value.equals(poison)) {
                throw new IllegalStateException("poison record");
              }
            })
        .to(out, Produced.with(Serdes.String(), Serdes.String()));
    return builder.build();
  }

  /** Runs the service on a thread until the returned handle is stopped. */
  private record Running(GracefulShutdown shutdown, URI base, Thread thread) {
    void stop() throws InterruptedException {
      shutdown.requestStop();
      thread.join(TimeUnit.SECONDS.toMillis(60));
      shutdown.close();
    }
  }

  private Running run(AppConfig config, Topology topology) throws Exception {
    var shutdown = GracefulShutdown.install(config.shutdownTimeout());
    var started = new CompletableFuture<URI>();
    var thread =
        new Thread(
            () -> {
              try {
                Service.run(
                    config,
                    List.of(StreamsService.stage(context -> topology)),
                    shutdown,
                    service -> started.complete(service.httpBase()));
              } catch (Exception e) {
                started.completeExceptionally(e);
              }
            },
            "service-under-test");
    thread.start();
    return new Running(shutdown, started.get(60, TimeUnit.SECONDS), thread);
  }

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void becomesReadyProcessesExactlyOnceAndExportsKafkaStreamsMetrics() throws Exception {
    kafka.createTopics(2, "service.in", "service.out");
    var running = run(config(Map.of()), passThrough("service.in", "service.out", "-"));
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(running.base(), "readyz").statusCode() == 200);
      try (var producer = new KafkaProducer<String, String>(kafka.producerProperties())) {
        producer.send(new ProducerRecord<>("service.in", "p1", "hello")).get();
      }
      assertThat(readCommitted("service.out", 1)).containsExactly("hello");

      var metrics = get(running.base(), "metrics").body();
      assertThat(metrics).contains("kafka_stream_").contains("jvm_memory_used_bytes");
      assertThat(get(running.base(), "healthz").statusCode()).isEqualTo(200);
    } finally {
      running.stop();
    }
    assertThat(running.thread().isAlive()).isFalse();
  }

  @Test
  void repeatedStreamThreadFailuresShutTheClientDownAndFailLiveness() throws Exception {
    kafka.createTopics(1, "poison.in", "poison.out");
    var config =
        config(
            Map.of(
                "prebuilds.stream-threads.max-failures", "2",
                "processing.guarantee", "at_least_once",
                // the dead thread's member leaves the group by session timeout; keep it short
                "consumer.session.timeout.ms", "6000"));
    var running = run(config, passThrough("poison.in", "poison.out", "poison"));
    try {
      try (var producer = new KafkaProducer<String, String>(kafka.producerProperties())) {
        producer.send(new ProducerRecord<>("poison.in", "p1", "poison")).get();
      }

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(running.base(), "healthz").statusCode() == 503);
      assertThat(get(running.base(), "healthz").body()).contains("stream threads failed 2 times");
      assertThat(get(running.base(), "readyz").statusCode()).isEqualTo(503);
      assertThat(get(running.base(), "metrics").body())
          .contains("prebuilds_stream_thread_failures_total{response=\"replace_thread\"} 1.0")
          .contains("prebuilds_stream_thread_failures_total{response=\"shutdown_client\"} 1.0");
    } finally {
      running.stop();
    }
  }

  private static List<String> readCommitted(String topic, int expected) {
    var values = new ArrayList<String>();
    try (var consumer = new KafkaConsumer<String, String>(kafka.consumerProperties())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> values.add(record.value()));
                return values.size() >= expected;
              });
    }
    return values;
  }
}
