package io.prebuilds.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.prebuilds.runtime.config.AdminToken;

class HttpEndpointTest {
  private static final AdminToken TOKEN = new AdminToken("s3cret-admin-token-0001");

  private final HttpClient client = HttpClient.newHttpClient();
  private final Router router = new Router();
  private HttpEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    router
        .get(
            "/api/v1/presets/{id}",
            request -> Response.json(200, Map.of("presetId", request.pathParameter("id"))))
        .get("/api/v1/presets/summary", request -> Response.json(200, Map.of("summary", true)))
        .get(
            "/echo",
            request -> Response.json(200, Map.of("q", request.query().getOrDefault("q", ""))))
        .get(
            "/boom",
            request -> {
              throw new IllegalStateException("secret internals");
            })
        .post(
            "/api/v1/admin/pause",
            BearerAuth.require(
                Optional.of(TOKEN), request -> Response.json(202, Map.of("paused", true))))
        .post(
            "/api/v1/admin/resume",
            BearerAuth.require(Optional.empty(), request -> Response.json(202, Map.of())));
    endpoint = HttpEndpoint.start("127.0.0.1", 0, router);
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(endpoint.baseUri().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String authorization) throws Exception {
    var request =
        HttpRequest.newBuilder(endpoint.baseUri().resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routesWithPathParametersAndPrefersLiteralSegments() throws Exception {
    var byId = get("api/v1/presets/p-42");
    assertThat(byId.statusCode()).isEqualTo(200);
    assertThat(byId.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(byId.body()).isEqualTo("{\"presetId\":\"p-42\"}");

    assertThat(get("api/v1/presets/summary").body()).isEqualTo("{\"summary\":true}");
    assertThat(get("echo?q=a%20b").body()).isEqualTo("{\"q\":\"a b\"}");
  }

  @Test
  void unknownPathsAre404AndWrongMethods405WithAllow() throws Exception {
    var missing = get("nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"error\":\"no such endpoint: /nope\"}");

    var wrongMethod = post("echo", null);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
  }

  @Test
  void aFailingHandlerAnswers500WithoutItsMessage() throws Exception {
    var response = get("boom");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"error\":\"internal error: IllegalStateException\"}");
  }

  @Test
  void adminActionsNeedTheBearerToken() throws Exception {
    var none = post("api/v1/admin/pause", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"prebuilds\"");
    assertThat(post("api/v1/admin/pause", "Bearer wrong-token-000000000").statusCode())
        .isEqualTo(401);
    assertThat(post("api/v1/admin/pause", "Basic " + TOKEN.value()).statusCode()).isEqualTo(401);

    var authorized = post("api/v1/admin/pause", "Bearer " + TOKEN.value());
    assertThat(authorized.statusCode()).isEqualTo(202);
    assertThat(authorized.body()).isEqualTo("{\"paused\":true}");
    assertThat(post("api/v1/admin/pause", "bearer " + TOKEN.value()).statusCode()).isEqualTo(202);
  }

  @Test
  void adminActionsAreDisabledWithoutAConfiguredToken() throws Exception {
    var response = post("api/v1/admin/resume", "Bearer anything-at-all-0000");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("set prebuilds.admin.token");
  }

  @Test
  void tokenComparisonIgnoresNothingButIsExact() {
    assertThat(BearerAuth.matches(TOKEN, TOKEN.value())).isTrue();
    assertThat(BearerAuth.matches(TOKEN, TOKEN.value() + "x")).isFalse();
    assertThat(BearerAuth.matches(TOKEN, "")).isFalse();
  }

  @Test
  void routesAddedWhileRunningAreServed() throws Exception {
    router.get("/late", request -> Response.text(200, "text/plain", "here"));

    assertThat(get("late").body()).isEqualTo("here");
  }

  @Test
  void baseUriNamesLocalhostForTheWildcardAddress() throws Exception {
    try (var wildcard = HttpEndpoint.start("0.0.0.0", 0, router)) {
      assertThat(wildcard.baseUri())
          .isEqualTo(URI.create("http://localhost:" + wildcard.port() + "/"));
    }
  }
}
