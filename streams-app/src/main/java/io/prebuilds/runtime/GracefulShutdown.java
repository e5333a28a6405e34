package io.prebuilds.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded shutdown on SIGTERM or Ctrl-C. A JVM shutdown hook asks the main thread to stop (which
 * closes the stages) and waits for it at most {@code timeout}; after that the hook returns and the
 * JVM exits regardless, so a stuck close can never keep a terminating pod alive past its grace
 * period.
 */
public final class GracefulShutdown implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread hook;

  private GracefulShutdown(Duration timeout) {
    this.hook = new Thread(() -> onJvmShutdown(timeout), "prebuilds-shutdown");
  }

  /** Registers the JVM shutdown hook. */
  public static GracefulShutdown install(Duration timeout) {
    var shutdown = new GracefulShutdown(timeout);
    Runtime.getRuntime().addShutdownHook(shutdown.hook);
    return shutdown;
  }

  /** Asks the main thread to stop, as a signal would. */
  public void requestStop() {
    stopRequested.countDown();
  }

  /** Blocks until a stop is requested. */
  public void awaitStopRequest() throws InterruptedException {
    stopRequested.await();
  }

  /** Marks the stop finished and, unless the JVM is already exiting, removes the hook. */
  @Override
  public void close() {
    stopped.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shutdownInProgress) {
      // the hook is running and waits for `stopped`, counted down above
    }
  }

  private void onJvmShutdown(Duration timeout) {
    log.atInfo().addKeyValue("timeout", timeout).log("stop requested; shutting down");
    requestStop();
    try {
      if (!stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.atWarn().addKeyValue("timeout", timeout).log("shutdown timed out; exiting anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
