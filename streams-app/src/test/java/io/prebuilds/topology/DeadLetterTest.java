package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.prebuilds.schemas.DecodeError;
import io.prebuilds.schemas.DlqHeaders;
import io.prebuilds.schemas.InvalidEventException;
import io.prebuilds.schemas.Topics;
import io.prebuilds.schemas.event.CreatePrebuild;

/**
 * Poison pills are rejected with their reason and processing carries on. TopologyTestDriver runs
 * the handler but does not deliver the records it returns for the DLQ, so the DLQ record itself is
 * checked here on the handler and end to end on the broker (TopologyOnBrokerIT).
 */
class DeadLetterTest {

  private final List<String> rejected = new CopyOnWriteArrayList<>();
  private final TopologyHarness harness =
      new TopologyHarness(
          TopologySettings.defaults(1),
          new TopologyMetrics() {
            @Override
            public void deadLettered(String topic, String reason) {
              rejected.add(topic + " " + reason);
            }
          });

  @AfterEach
  void close() {
    harness.close();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json at all | NOT_JSON",
        "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"prebuilds.build.exploded.v1\",\"time\":\"2025-06-02T08:00:00Z\",\"data\":{}} | UNKNOWN_TYPE",
        "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"prebuilds.build.completed.v2\",\"time\":\"2025-06-02T08:00:00Z\",\"data\":{}} | UNSUPPORTED_VERSION",
        "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"prebuilds.build.completed.v1\",\"time\":\"2025-06-02T08:00:00Z\",\"data\":{\"presetId\":\"p1\"}} | SCHEMA_INVALID",
      })
  void poisonPillIsRejectedWithItsReasonAndProcessingContinues(String value, String reason) {
    harness.rawBuild("p1", value.getBytes(StandardCharsets.UTF_8));

    assertThat(rejected).containsExactly(Topics.BUILDS.name() + " " + reason);
    harness.template(template("v1", List.of(version("v1", preset("p1", 1)))));
    assertThat(harness.commands(harness.commands(), CreatePrebuild.class)).hasSize(1);
  }

  @Test
  void oversizedRecordIsRejectedWithoutBeingParsed() {
    byte[] bytes = new byte[600_000];
    Arrays.fill(bytes, (byte) '{');
    harness.rawBuild("p1", bytes);

    assertThat(rejected).containsExactly(Topics.BUILDS.name() + " OVERSIZED");
  }

  @Test
  void deadLetterRecordKeepsTheProducersBytesAndNamesReasonFieldAndOrigin() {
    DeadLetterHandler handler = new DeadLetterHandler();
    handler.configure(Map.of());
    byte[] key = "p1".getBytes(StandardCharsets.UTF_8);
    byte[] value = "{\"bad\":true}".getBytes(StandardCharsets.UTF_8);
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(Topics.BUILDS.name(), 3, 42L, key, value);
    DecodeError error =
        new DecodeError(
            DecodeError.Kind.SCHEMA_INVALID,
            "/data/buildNumber",
            "/data/buildNumber: must be >= 1");

    DeserializationExceptionHandler.Response response =
        handler.handleError(context(record), record, new InvalidEventException(error));

    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
    assertThat(dead.topic()).isEqualTo(Topics.DLQ.name());
    assertThat(dead.key()).isEqualTo(key);
    assertThat(dead.value()).isEqualTo(value);
    assertThat(header(dead.headers(), DlqHeaders.REASON)).isEqualTo("SCHEMA_INVALID");
    assertThat(header(dead.headers(), DlqHeaders.POINTER)).isEqualTo("/data/buildNumber");
    assertThat(header(dead.headers(), DlqHeaders.ERROR_MESSAGE))
        .isEqualTo("/data/buildNumber: must be >= 1");
    assertThat(header(dead.headers(), DlqHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.BUILDS.name());
    assertThat(header(dead.headers(), DlqHeaders.ORIGINAL_PARTITION)).isEqualTo("3");
    assertThat(header(dead.headers(), DlqHeaders.ORIGINAL_OFFSET)).isEqualTo("42");
  }

  private static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The coordinates Kafka Streams hands the handler for a record it could not deserialize. */
  private static ErrorHandlerContext context(ConsumerRecord<byte[], byte[]> record) {
    return new ErrorHandlerContext() {
      @Override
      public String topic() {
        return record.topic();
      }

      @Override
      public int partition() {
        return record.partition();
      }

      @Override
      public long offset() {
        return record.offset();
      }

      @Override
      public Headers headers() {
        return new RecordHeaders();
      }

      @Override
      public String processorNodeId() {
        return "builds-source";
      }

      @Override
      public TaskId taskId() {
        return new TaskId(0, record.partition());
      }

      @Override
      public long timestamp() {
        return 0L;
      }

      @Override
      public byte[] sourceRawKey() {
        return record.key();
      }

      @Override
      public byte[] sourceRawValue() {
        return record.value();
      }
    };
  }
}
