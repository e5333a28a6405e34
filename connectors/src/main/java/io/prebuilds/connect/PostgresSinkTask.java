package io.prebuilds.connect;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch Connect hands over in one PostgreSQL transaction and returns only once it
 * committed, so the offsets Connect commits afterwards never run ahead of the database.
 *
 * <ul>
 *   <li>PostgreSQL unreachable (or the driver asserting on a dropped connection): {@link
 *       RetriableException}; Connect pauses for {@code retry.backoff.ms} and hands the same batch
 *       back, as often as it takes. Every write is idempotent, so a batch that did commit before
 *       the connection broke is harmless to repeat.
 *   <li>A record that can never be written: reported to Connect's errant record reporter (the
 *       dead-letter queue with {@code errors.tolerance=all}) after the rest of its batch committed;
 *       without a reporter the task fails rather than skip it.
 *   <li>Anything else (the schema is not what the sink expects): the task fails.
 * </ul>
 */
public final class PostgresSinkTask extends SinkTask {

  private static final Logger log = LoggerFactory.getLogger(PostgresSinkTask.class);
  private static final Duration OUTAGE_WARNING_PERIOD = Duration.ofSeconds(30);

  private final Clock clock = Clock.systemUTC();
  private final OutageLog outage = new OutageLog(OUTAGE_WARNING_PERIOD);
  private ReadModelSink sink;
  private long retryBackoffMs;

  @Override
  public String version() {
    return PluginVersion.VALUE;
  }

  @Override
  public void start(Map<String, String> properties) {
    var config = new PostgresSinkConfig(properties);
    retryBackoffMs = config.retryBackoffMs();
    sink = new ReadModelSink(config);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    ReadModelSink.Result result;
    try {
      result = sink.write(records);
    } catch (SQLException e) {
      throw failure(e, records.size());
    } catch (AssertionError e) {
      if (!raisedByDriver(e)) {
        throw e;
      }
      throw transientFailure(e, null, records.size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException("interrupted while writing to PostgreSQL", e);
    }
    int failedAttempts = outage.recovered();
    if (failedAttempts > 0) {
      log.atInfo()
          .addKeyValue("failedAttempts", failedAttempts)
          .log("PostgreSQL is writable again; the held-back batch is written");
    }
    for (ReadModelSink.Rejected rejected : result.rejected()) {
      report(rejected);
    }
    log.atDebug()
        .addKeyValue("records", records.size())
        .addKeyValue("changed", result.changed())
        .addKeyValue("unchanged", result.unchanged())
        .addKeyValue("rejected", result.rejected().size())
        .log("batch written");
  }

  private RuntimeException failure(SQLException e, int records) {
    return switch (SqlFailure.classify(e)) {
      case TRANSIENT -> transientFailure(e, e.getSQLState(), records);
      case RECORD, FATAL ->
          new ConnectException("writing to the PostgreSQL read model failed: " + e.getMessage(), e);
    };
  }

  private RetriableException transientFailure(Throwable e, String sqlState, int records) {
    if (outage.failed(clock.instant())) {
      log.atWarn()
          .addKeyValue("records", records)
          .addKeyValue("failedAttempts", outage.failedAttempts())
          .addKeyValue("retryBackoffMs", retryBackoffMs)
          .addKeyValue("sqlState", sqlState)
          .setCause(e)
          .log("PostgreSQL is unreachable; the batch will be retried until it is written");
    }
    context.timeout(retryBackoffMs);
    return new RetriableException("PostgreSQL is unreachable: " + e.getMessage(), e);
  }

  /**
   * With assertions enabled (as in a JVM started with {@code -ea}), pgjdbc asserts on its own
   * connection state and throws an {@link AssertionError} instead of a {@link SQLException} when
   * the connection drops in the middle of a batch. That is an outage like any other, not a reason
   * to kill the task; an assertion anywhere else still is.
   */
  static boolean raisedByDriver(AssertionError e) {
    StackTraceElement[] frames = e.getStackTrace();
    return frames.length > 0 && frames[0].getClassName().startsWith("org.postgresql.");
  }

  private void report(ReadModelSink.Rejected rejected) {
    SinkRecord record = rejected.record();
    log.atWarn()
        .addKeyValue("topic", record.originalTopic())
        .addKeyValue("partition", record.originalKafkaPartition())
        .addKeyValue("offset", record.originalKafkaOffset())
        .addKeyValue("reason", rejected.reason().getMessage())
        .log("record can never be written; sending it to the dead-letter queue");
    ErrantRecordReporter reporter = context.errantRecordReporter();
    if (reporter == null) {
      throw new ConnectException(
          "a record can never be written and no dead-letter queue is configured"
              + " (errors.tolerance=all, errors.deadletterqueue.topic.name): "
              + rejected.reason().getMessage(),
          rejected.reason());
    }
    reporter.report(record, rejected.reason());
  }

  @Override
  public void stop() {
    if (sink != null) {
      sink.close();
      sink = null;
    }
  }
}
