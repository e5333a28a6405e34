package io.prebuilds.runtime.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps method and path to a {@link Handler}. Patterns are literal segments and {@code {name}}
 * segments ({@code /api/v1/presets/{id}/explain}); when several match, the one with the most
 * literal segments wins, so {@code /api/v1/presets/summary} can sit beside {@code {id}}. A path
 * that matches with another method answers 405 with {@code Allow}; no match answers 404. Routes may
 * be added while the server runs (stages register theirs as they start). HEAD is answered by the
 * GET route.
 */
public final class Router {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private final List<Route> routes = new CopyOnWriteArrayList<>();

  public Router get(String pattern, Handler handler) {
    return add("GET", pattern, handler);
  }

  public Router post(String pattern, Handler handler) {
    return add("POST", pattern, handler);
  }

  public Router add(String method, String pattern, Handler handler) {
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("route pattern must start with /: " + pattern);
    }
    var route = new Route(method, segments(pattern), handler);
    for (var existing : routes) {
      if (existing.method.equals(method) && existing.pattern.equals(route.pattern)) {
        throw new IllegalArgumentException("route already registered: " + method + " " + pattern);
      }
    }
    routes.add(route);
    return this;
  }

  /** Answers {@code request}; a handler's exception becomes a logged 500, never a crash. */
  public Response route(Request request) {
    var path = segments(request.path());
    var method = request.method().equals("HEAD") ? "GET" : request.method();
    Route best = null;
    Map<String, String> bestParameters = Map.of();
    var allowed = new TreeSet<String>();
    for (var route : routes) {
      var parameters = route.match(path);
      if (parameters.isEmpty()) {
        continue;
      }
      if (!route.method.equals(method)) {
        allowed.add(route.method);
        continue;
      }
      if (best == null || route.literalSegments() > best.literalSegments()) {
        best = route;
        bestParameters = parameters.get();
      }
    }
    if (best == null) {
      return allowed.isEmpty()
          ? Response.error(404, "no such endpoint: " + request.path())
          : Response.error(405, request.method() + " is not allowed on " + request.path())
              .withHeader("Allow", String.join(", ", allowed));
    }
    try {
      return best.handler.handle(request.withPathParameters(bestParameters));
    } catch (Exception e) {
      log.atError()
          .addKeyValue("method", request.method())
          .addKeyValue("path", request.path())
          .setCause(e)
          .log("HTTP handler failed");
      return Response.error(500, "internal error: " + e.getClass().getSimpleName());
    }
  }

  private static List<String> segments(String path) {
    var segments = new ArrayList<String>();
    for (var segment : path.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    return List.copyOf(segments);
  }

  private record Route(String method, List<String> pattern, Handler handler) {
    Optional<Map<String, String>> match(List<String> path) {
      if (path.size() != pattern.size()) {
        return Optional.empty();
      }
      var parameters = new LinkedHashMap<String, String>();
      for (int i = 0; i < pattern.size(); i++) {
        var expected = pattern.get(i);
        if (isParameter(expected)) {
          parameters.put(expected.substring(1, expected.length() - 1), path.get(i));
        } else if (!expected.equals(path.get(i))) {
          return Optional.empty();
        }
      }
      return Optional.of(parameters);
    }

    long literalSegments() {
      return pattern.stream().filter(segment -> !isParameter(segment)).count();
    }

    private static boolean isParameter(String segment) {
      return segment.startsWith("{") && segment.endsWith("}");
    }
  }
}
