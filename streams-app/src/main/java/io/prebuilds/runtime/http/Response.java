package io.prebuilds.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** An HTTP response: status, content type, body and extra headers. */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  public Response {
    body = body.clone();
    headers = Map.copyOf(headers);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** {@code value} as JSON (records, maps, lists; map keys sorted for stable output). */
  public static Response json(int status, Object value) {
    try {
      return new Response(status, "application/json", JSON.writeValueAsBytes(value), Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write response as JSON: " + e.getMessage(), e);
    }
  }

  public static Response text(int status, String contentType, String text) {
    return new Response(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** An error in one shape for every endpoint: {@code {"error": "..."}}. */
  public static Response error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  public Response withHeader(String name, String value) {
    var all = new HashMap<>(headers);
    all.put(name, value);
    return new Response(status, contentType, body, all);
  }

  /** The body as UTF-8 text (tests and logs). */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
