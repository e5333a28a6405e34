package io.prebuilds.runtime;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.http.HttpEndpoint;
import io.prebuilds.runtime.http.Router;
import io.prebuilds.runtime.metrics.TextExposition;

/**
 * Runs the service until a stop is requested: the metrics registry, {@link Health}, the HTTP server
 * with {@code /metrics}, {@code /healthz} and {@code /readyz} (up first, so probes answer during
 * start-up), then the given stages in order. On stop everything closes in reverse order.
 */
public final class Service {
  private Service() {}

  /** What a command prints once everything started. */
  public record Started(URI httpBase, RuntimeContext context) {}

  public static void run(
      AppConfig config, List<Stage> stages, GracefulShutdown shutdown, Consumer<Started> onStarted)
      throws StageFailedException, InterruptedException {
    try (var metrics = ServiceMetrics.create()) {
      var health = new Health();
      var router = new Router();
      var exposition = new TextExposition();
      ProbeRoutes.register(router, metrics.registry(), exposition, health);
      var context =
          new RuntimeContext(
              config, Clock.systemUTC(), metrics.registry(), exposition, health, router);
      try (var http = startHttp(config, router);
          var lifecycle = Lifecycle.start(stages, context)) {
        onStarted.accept(new Started(http.baseUri(), context));
        shutdown.awaitStopRequest();
      }
    }
  }

  private static HttpEndpoint startHttp(AppConfig config, Router router)
      throws StageFailedException {
    try {
      return HttpEndpoint.start(config.http().host(), config.http().port(), router);
    } catch (IOException e) {
      throw new StageFailedException(
          "HTTP server on %s:%d".formatted(config.http().host(), config.http().port()), e);
    }
  }
}
