package io.prebuilds.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.prebuilds.runtime.GracefulShutdown;
import io.prebuilds.runtime.Service;
import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.config.ConfigLoader;
import io.prebuilds.runtime.config.ConfigSources;

/**
 * One instance of the service in this JVM, wired exactly as {@code prebuilds run} wires it (the
 * runtime with its HTTP server, then {@link ServiceStages#app()}: topic check, Kafka Streams,
 * preset API, state metrics), configured from settings as a properties file would be.
 */
final class InProcessInstance implements AutoCloseable {
  private final GracefulShutdown shutdown;
  private final Thread thread;
  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  private InProcessInstance(AppConfig config, String name) throws Exception {
    shutdown = GracefulShutdown.install(config.shutdownTimeout());
    var started = new CompletableFuture<URI>();
    thread =
        new Thread(
            () -> {
              try {
                Service.run(
                    config,
                    List.of(ServiceStages.app()),
                    shutdown,
                    s -> started.complete(s.httpBase()));
              } catch (Exception e) {
                started.completeExceptionally(e);
              }
            },
            "instance-" + name);
    thread.start();
    try {
      base = started.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /** Starts an instance; returns once its HTTP server answers (Kafka Streams may still start). */
  static InProcessInstance start(String name, Map<String, String> settings) throws Exception {
    var config =
        ConfigLoader.load(
                new ConfigSources(settings, Optional.empty(), Map.of(), Map.of(), Map.of()))
            .config();
    return new InProcessInstance(config, name);
  }

  URI base() {
    return base;
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Stops as SIGTERM would: the stages close in reverse order and Kafka Streams leaves the group.
   */
  @Override
  public void close() throws InterruptedException {
    shutdown.requestStop();
    thread.join(TimeUnit.SECONDS.toMillis(60));
    shutdown.close();
  }
}
