package io.prebuilds.topology;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Lets a claim request go before the bulk input its task has buffered: a claim's record counts as
 * produced {@code lead} earlier than it was.
 *
 * <p>Why: a user waits on every claim, while build events, definitions of a rollover and command
 * results are bulk work nobody waits on by the millisecond. Kafka Streams hands a task's records to
 * its processors in timestamp order across the task's input partitions, so during a burst a claim
 * waited behind every record produced before it that the task had buffered, several passes of the
 * stream thread (docs/benchmarks.md, "Claim latency: the tail is the rollover"). With its timestamp
 * moved back, it is the next record its task processes.
 *
 * <p>Why it is safe: no decision depends on the order of records across topics (task idling is off
 * for the same reason), claims keep their order among themselves, every output carries the time of
 * its decision rather than its input's timestamp, and a historic claim met while rebuilding takes
 * back the lead ({@link #produced}) before its time is used. A timestamp is never negative: Kafka
 * Streams would drop the record.
 */
final class ClaimPrecedence implements TimestampExtractor {

  private final long leadMillis;

  ClaimPrecedence(Duration lead) {
    if (lead.isNegative()) {
      throw new IllegalArgumentException("claim precedence must be >= 0, got " + lead);
    }
    this.leadMillis = lead.toMillis();
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    return Math.max(0, record.timestamp() - leadMillis);
  }

  /** When a claim record was produced, from the timestamp this extractor gave it. */
  long produced(long extracted) {
    return extracted + leadMillis;
  }
}
