package io.prebuilds.runtime.topics;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.runtime.RuntimeContext;
import io.prebuilds.runtime.Stage;
import io.prebuilds.schemas.Topics;

/**
 * Starts a part (the Kafka Streams app) only once the cluster's topics match the catalogue: they
 * exist, the preset-keyed ones are co-partitioned with {@code prebuilds.topics.partitions}, and
 * cleanup policies are right. Until then the service is live but not ready, with a message naming
 * the topics ({@code /readyz}), and the check repeats, so the app starts by itself once an operator
 * (or the topics job) has fixed the topics. Drift that does not block (e.g. retention) is logged.
 */
public final class TopicGate implements AutoCloseable {
  /** The readiness condition this gate holds back. */
  public static final String CONDITION = "topics";

  private static final Logger log = LoggerFactory.getLogger(TopicGate.class);

  private final RuntimeContext context;
  private final Stage.Starter guarded;
  private final Admin admin;
  private final ScheduledExecutorService recheck;
  private AutoCloseable started;
  private String lastRefusal = "";
  private boolean closed;

  private TopicGate(RuntimeContext context, Stage.Starter guarded) {
    this.context = context;
    this.guarded = guarded;
    this.admin = Admin.create(context.config().streams().adminProperties());
    this.recheck =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              var thread = new Thread(runnable, "topic-check");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * A stage that checks the topics and starts {@code guarded} when they are right, checking again
   * every {@code interval} until then.
   */
  public static Stage stage(String name, Stage.Starter guarded, Duration interval) {
    return new Stage(
        name,
        context -> {
          var gate = new TopicGate(context, guarded);
          try {
            if (gate.attempt()) {
              return gate;
            }
          } catch (Exception e) {
            gate.close();
            throw e;
          }
          gate.recheck.scheduleWithFixedDelay(
              gate::attemptLater, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
          return gate;
        });
  }

  private void attemptLater() {
    try {
      if (attempt()) {
        recheck.shutdown();
      }
    } catch (Exception e) {
      context.health().markFailed("the app failed to start: " + e.getMessage());
      log.atError().setCause(e).log("the app failed to start after the topic check");
      recheck.shutdown();
    }
  }

  /**
   * Checks once; starts the guarded part when the topics are right. True once it started (or the
   * gate closed); a failure to start propagates.
   */
  private synchronized boolean attempt() throws Exception {
    if (closed || started != null) {
      return true;
    }
    var health = context.health();
    var partitions = context.config().topics().partitions();
    String refusal;
    try {
      var report = new TopicAdmin(admin, Duration.ofSeconds(30)).check(Topics.all(), partitions);
      report
          .drift()
          .forEach(
              drift ->
                  log.atWarn()
                      .addKeyValue("topic", drift.topic())
                      .log("topic config drift: {}", drift.describe()));
      refusal = report.refusal().orElse(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } catch (RuntimeException e) {
      refusal = "cannot check the topics: " + e.getMessage();
    }
    if (refusal != null) {
      health.conditionUnmet(CONDITION, refusal);
      if (!refusal.equals(lastRefusal)) {
        log.atError()
            .addKeyValue("problem", refusal)
            .log(
                "topics do not match the catalogue; not processing (fix with `prebuilds topics apply`)");
        lastRefusal = refusal;
      }
      return false;
    }
    health.conditionMet(CONDITION);
    log.atInfo().log("topics match the catalogue; starting");
    started = guarded.start(context);
    return true;
  }

  @Override
  public void close() throws Exception {
    recheck.shutdownNow();
    AutoCloseable toClose;
    synchronized (this) {
      closed = true;
      toClose = started;
    }
    try {
      if (toClose != null) {
        toClose.close();
      }
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
