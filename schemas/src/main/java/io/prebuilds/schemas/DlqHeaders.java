package io.prebuilds.schemas;

/**
 * Header names on {@code prebuilds.dlq.v1} records. Kafka Streams' dead letter queue (KIP-1034)
 * already writes the exception and the original coordinates under its {@code __streams.errors.*}
 * names; we add {@link #REASON} so tooling can group rejections without parsing messages. The value
 * is the original record's value and key, unchanged, so it can be replayed after an upgrade.
 */
public final class DlqHeaders {

  /** Why the record was rejected: a {@link DecodeError.Kind} name or {@link #PROCESSING_FAILED}. */
  public static final String REASON = "prebuilds.dlq.reason";

  /** The JSON pointer of the offending field, when there is one. */
  public static final String POINTER = "prebuilds.dlq.pointer";

  /** Fully qualified class name of the exception. */
  public static final String ERROR_CLASS = "__streams.errors.exception";

  /** The error message (for decode errors, {@link DecodeError#message()}). */
  public static final String ERROR_MESSAGE = "__streams.errors.message";

  public static final String ORIGINAL_TOPIC = "__streams.errors.topic";
  public static final String ORIGINAL_PARTITION = "__streams.errors.partition";
  public static final String ORIGINAL_OFFSET = "__streams.errors.offset";

  /** The reason for a valid event whose processing threw. */
  public static final String PROCESSING_FAILED = "PROCESSING_FAILED";

  private DlqHeaders() {}
}
