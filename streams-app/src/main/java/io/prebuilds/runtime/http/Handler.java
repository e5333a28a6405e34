package io.prebuilds.runtime.http;

/** Answers one route. An exception becomes a 500 with a one-line error body, and is logged. */
@FunctionalInterface
public interface Handler {
  Response handle(Request request) throws Exception;
}
