package io.prebuilds.runtime;

import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import io.prebuilds.runtime.http.Response;
import io.prebuilds.runtime.http.Router;
import io.prebuilds.runtime.metrics.TextExposition;

/**
 * The open operational endpoints: {@code /metrics} (Prometheus text format: Micrometer's scrape
 * followed by the {@link TextExposition} sections), {@code /healthz} (liveness) and {@code /readyz}
 * (readiness). A failing probe answers 503 with its reason.
 */
public final class ProbeRoutes {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private ProbeRoutes() {}

  public static void register(
      Router router, PrometheusMeterRegistry registry, TextExposition exposition, Health health) {
    router.get(
        "/metrics",
        request -> Response.text(200, PROMETHEUS_TEXT, registry.scrape() + exposition.render()));
    router.get("/healthz", request -> probe(health::liveness));
    router.get("/readyz", request -> probe(health::readiness));
  }

  private static Response probe(Supplier<Health.Status> check) {
    var status = check.get();
    return Response.json(
        status.ok() ? 200 : 503,
        Map.of("status", status.ok() ? "ok" : "failing", "detail", status.detail()));
  }
}
