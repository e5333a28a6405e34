package io.prebuilds.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.micrometer.core.instrument.Counter;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.prebuilds.runtime.http.HttpEndpoint;
import io.prebuilds.runtime.http.Router;
import io.prebuilds.runtime.metrics.TextExposition;

class ProbeRoutesTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private final Health health = new Health();
  private ServiceMetrics metrics;
  private HttpEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    metrics = ServiceMetrics.create();
    var router = new Router();
    ProbeRoutes.register(router, metrics.registry(), new TextExposition(), health);
    endpoint = HttpEndpoint.start("127.0.0.1", 0, router);
  }

  @AfterEach
  void stop() {
    endpoint.close();
    metrics.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(endpoint.baseUri().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesFollowTheKafkaStreamsState() throws Exception {
    assertThat(get("healthz").statusCode()).isEqualTo(200);
    var notStarted = get("readyz");
    assertThat(notStarted.statusCode()).isEqualTo(503);
    assertThat(notStarted.body())
        .isEqualTo("{\"detail\":\"Kafka Streams not started\",\"status\":\"failing\"}");

    health.onStateChange(State.RUNNING);
    assertThat(get("readyz").statusCode()).isEqualTo(200);

    health.onStateChange(State.ERROR);
    var dead = get("healthz");
    assertThat(dead.statusCode()).isEqualTo(503);
    assertThat(dead.body()).contains("Kafka Streams is ERROR");
    assertThat(get("readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void metricsAreInPrometheusFormatWithJvmMetrics() throws Exception {
    Counter.builder("prebuilds.test.events").register(metrics.registry()).increment(3);

    var response = get("metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains(ProbeRoutes.PROMETHEUS_TEXT);
    assertThat(response.body())
        .contains("prebuilds_test_events_total 3.0")
        .contains("jvm_memory_used_bytes")
        .contains("process_uptime_seconds");
  }
}
