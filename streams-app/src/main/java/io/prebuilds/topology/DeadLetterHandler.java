package io.prebuilds.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.schemas.DecodeError;
import io.prebuilds.schemas.DlqHeaders;
import io.prebuilds.schemas.InvalidEventException;
import io.prebuilds.schemas.Topics;

/**
 * Sends every input record that can never be processed (not JSON, unknown type or major version,
 * schema-invalid, oversized) to the dead-letter topic through Kafka Streams' own DLQ path
 * (KIP-1034), and carries on with the next record.
 *
 * <p>Why a handler of our own: the built-in ones write the exception, but operators group and
 * replay rejections by reason, so we add the typed reason and the JSON pointer of the offending
 * field as headers. The key and value are the producer's bytes, unchanged, so a record rejected for
 * an unknown major version can be replayed after an upgrade. The DLQ write is part of the same
 * transaction as the consumed offset, so under exactly-once a record is neither lost nor
 * dead-lettered twice.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {

  /** Config key under which the runtime passes a {@link TopologyMetrics} instance. */
  public static final String METRICS_CONFIG = "prebuilds.dead.letter.metrics";

  private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

  private String topic = Topics.DLQ.name();
  private TopologyMetrics metrics = TopologyMetrics.NONE;

  @Override
  public void configure(Map<String, ?> configs) {
    Object configured = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (configured instanceof String name && !name.isBlank()) {
      topic = name;
    }
    if (configs.get(METRICS_CONFIG) instanceof TopologyMetrics configuredMetrics) {
      metrics = configuredMetrics;
    }
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    DecodeError error = reasonOf(exception);
    metrics.deadLettered(context.topic(), error.kind().name());
    log.atWarn()
        .addKeyValue("topic", context.topic())
        .addKeyValue("partition", context.partition())
        .addKeyValue("offset", context.offset())
        .addKeyValue("reason", error.kind().name())
        .addKeyValue("pointer", error.pointer())
        .log("input record rejected to the dead-letter topic: {}", error.message());
    return Response.resume(List.of(deadLetter(context, record, exception, error)));
  }

  ProducerRecord<byte[], byte[]> deadLetter(
      ErrorHandlerContext context,
      ConsumerRecord<byte[], byte[]> record,
      Exception exception,
      DecodeError error) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    header(headers, DlqHeaders.REASON, error.kind().name());
    header(headers, DlqHeaders.POINTER, error.pointer());
    header(headers, DlqHeaders.ERROR_CLASS, exception.getClass().getName());
    header(headers, DlqHeaders.ERROR_MESSAGE, error.message());
    header(headers, DlqHeaders.ORIGINAL_TOPIC, context.topic());
    header(headers, DlqHeaders.ORIGINAL_PARTITION, Integer.toString(context.partition()));
    header(headers, DlqHeaders.ORIGINAL_OFFSET, Long.toString(context.offset()));
    return new ProducerRecord<>(topic, null, record.key(), record.value(), headers);
  }

  /** The typed reason; anything that is not our validation error is a value we cannot read. */
  static DecodeError reasonOf(Exception exception) {
    if (exception instanceof InvalidEventException invalid) {
      return invalid.error();
    }
    return new DecodeError(
        DecodeError.Kind.NOT_JSON,
        "",
        "cannot deserialize: "
            + exception.getClass().getSimpleName()
            + ": "
            + exception.getMessage());
  }

  private static void header(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
  }
}
