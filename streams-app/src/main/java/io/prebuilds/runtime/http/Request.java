package io.prebuilds.runtime.http;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as handlers see it: no server types, so handlers are plain functions that tests
 * can call directly. Header names are case-insensitive; {@code pathParameters} holds the values of
 * the route's {@code {name}} segments; {@code query} keeps the first value of each parameter.
 */
public record Request(
    String method,
    String path,
    Map<String, String> pathParameters,
    Map<String, String> query,
    Map<String, List<String>> headers,
    byte[] body) {

  public Request {
    pathParameters = Map.copyOf(pathParameters);
    query = Map.copyOf(query);
    var caseInsensitive = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> caseInsensitive.put(name, List.copyOf(values)));
    headers = Collections.unmodifiableMap(caseInsensitive);
    body = body.clone();
  }

  /** The first value of a header, by case-insensitive name. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name)).filter(v -> !v.isEmpty()).map(v -> v.get(0));
  }

  /** The value of the route's {@code {name}} segment. */
  public String pathParameter(String name) {
    var value = pathParameters.get(name);
    if (value == null) {
      throw new IllegalArgumentException("route has no path parameter {" + name + "}");
    }
    return value;
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  Request withPathParameters(Map<String, String> parameters) {
    return new Request(method, path, parameters, query, headers, body);
  }
}
