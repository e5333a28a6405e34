package io.prebuilds.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts {@link Stage}s in order and stops them in reverse. If a stage fails to start, the ones
 * already running are stopped before the failure is reported, so nothing is left behind. Closing is
 * idempotent and never throws: one part failing to stop does not keep the others running.
 */
public final class Lifecycle implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private record Running(String name, AutoCloseable stopper) {}

  private final Deque<Running> running = new ArrayDeque<>();

  private Lifecycle() {}

  public static Lifecycle start(List<Stage> stages, RuntimeContext context)
      throws StageFailedException {
    var lifecycle = new Lifecycle();
    for (var stage : stages) {
      try {
        log.atInfo().addKeyValue("stage", stage.name()).log("starting");
        lifecycle.running.push(new Running(stage.name(), stage.starter().start(context)));
      } catch (Exception e) {
        lifecycle.close();
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new StageFailedException(stage.name(), e);
      }
    }
    return lifecycle;
  }

  @Override
  public synchronized void close() {
    while (!running.isEmpty()) {
      var stage = running.pop();
      try {
        stage.stopper().close();
        log.atInfo().addKeyValue("stage", stage.name()).log("stopped");
      } catch (Exception e) {
        log.atWarn().addKeyValue("stage", stage.name()).setCause(e).log("failed to stop cleanly");
      }
    }
  }
}
