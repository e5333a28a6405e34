package io.prebuilds.runtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's one HTTP server (JDK {@code HttpServer}) in front of a {@link Router}. A few worker
 * threads, so a slow API call never delays a health probe; request bodies are capped.
 */
public final class HttpEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);
  private static final int MAX_BODY_BYTES = 1 << 20;
  private static final int WORKER_THREADS = 4;

  private final HttpServer server;
  private final ExecutorService workers;
  private final String host;

  private HttpEndpoint(HttpServer server, ExecutorService workers, String host) {
    this.server = server;
    this.workers = workers;
    this.host = host;
  }

  /** Listens on {@code host:port} (port 0: any free port; see {@link #port()}). */
  public static HttpEndpoint start(String host, int port, Router router) throws IOException {
    var server = HttpServer.create(new InetSocketAddress(host, port), 0);
    var workers = Executors.newFixedThreadPool(WORKER_THREADS, new WorkerThreads());
    server.setExecutor(workers);
    server.createContext("/", exchange -> serve(exchange, router));
    server.start();
    var endpoint = new HttpEndpoint(server, workers, host);
    log.atInfo().addKeyValue("url", endpoint.baseUri()).log("HTTP server listening");
    return endpoint;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Where a person on this machine reaches the server, e.g. {@code http://localhost:8080/}. */
  public URI baseUri() {
    var shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    return URI.create("http://" + shown + ":" + port() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }

  private static void serve(HttpExchange exchange, Router router) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY_BYTES + 1);
      }
      if (body.length > MAX_BODY_BYTES) {
        write(exchange, Response.error(413, "request body exceeds " + MAX_BODY_BYTES + " bytes"));
        return;
      }
      var uri = exchange.getRequestURI();
      var request =
          new Request(
              exchange.getRequestMethod(),
              uri.getPath(),
              Map.of(),
              query(uri.getRawQuery()),
              exchange.getRequestHeaders(),
              body);
      write(exchange, router.route(request));
    }
  }

  private static Map<String, String> query(String rawQuery) {
    var parameters = new LinkedHashMap<String, String>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (var pair : rawQuery.split("&")) {
      var equals = pair.indexOf('=');
      var name = equals < 0 ? pair : pair.substring(0, equals);
      var value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.putIfAbsent(decode(name), decode(value));
    }
    return parameters;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static void write(HttpExchange exchange, Response response) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", response.contentType());
    headers.set("Cache-Control", "no-store");
    response.headers().forEach(headers::set);
    var body = response.body();
    var isHead = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(response.status(), isHead || body.length == 0 ? -1 : body.length);
    if (!isHead && body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  private static final class WorkerThreads implements ThreadFactory {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Thread newThread(Runnable runnable) {
      var thread = new Thread(runnable, "prebuilds-http-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
