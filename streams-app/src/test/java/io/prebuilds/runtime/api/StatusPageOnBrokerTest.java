package io.prebuilds.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.prebuilds.testing.KafkaBroker;
import io.prebuilds.testing.PrebuildsApp;

/**
 * The API and the status page over HTTP, on the real topology and a real broker: a pool fills, a
 * claim changes the numbers the page shows, lookups answer from the owner, admin actions need the
 * token and take effect.
 */
class StatusPageOnBrokerTest {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static PrebuildsApp app;

  @BeforeAll
  static void start() throws Exception {
    app = PrebuildsApp.start(kafka, Set.of(), Set.of());
    app.publishTemplate(Map.of("p-pool", 2));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  @Test
  void theStatusPageShowsThePoolFillingAndAClaimChangingIt() throws Exception {
    await().atMost(WAIT).until(() -> row("p-pool").contains("data-field=\"eligible\">2<"));
    var full = row("p-pool");
    assertThat(cell(full, "desired")).isEqualTo(2);
    assertThat(cell(full, "running")).isEqualTo(2);
    assertThat(cell(full, "claimed")).isZero();
    assertThat(cell(full, "created")).isEqualTo(2);
    assertThat(page()).contains("python-dev").contains("p-pool-name").contains("setInterval");

    app.claim("claim-page", "p-pool");

    await().atMost(WAIT).until(() -> cell(row("p-pool"), "claimed") == 1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var backfilled = row("p-pool");
              assertThat(cell(backfilled, "created")).isEqualTo(3);
              assertThat(cell(backfilled, "eligible")).isEqualTo(2);
            });
  }

  @Test
  void oneLookupAnswersFromTheOwnerWithTheExplanation() throws Exception {
    await().atMost(WAIT).until(() -> app.get("api/v1/presets/p-pool").statusCode() == 200);
    JsonNode preset = JSON.readTree(app.get("api/v1/presets/p-pool").body());
    assertThat(preset.get("presetName").asText()).isEqualTo("p-pool-name");
    assertThat(preset.get("templateName").asText()).isEqualTo("python-dev");
    assertThat(preset.get("desired").asInt()).isEqualTo(2);

    var explain = app.get("api/v1/presets/p-pool/explain");
    assertThat(explain.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(explain.body()).get("explanation")).isNotEmpty();

    var list = JSON.readTree(app.get("api/v1/presets").body());
    assertThat(list.get("complete").asBoolean()).isTrue();
    assertThat(list.get("presets"))
        .anySatisfy(p -> assertThat(p.get("presetId").asText()).isEqualTo("p-pool"));

    var missing = app.get("api/v1/presets/no-such-preset");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("no-such-preset");
  }

  @Test
  void adminActionsNeedTheTokenAndPauseShowsOnThePage() throws Exception {
    assertThat(app.post("api/v1/reconciliation/pause", null).statusCode()).isEqualTo(401);
    assertThat(app.post("api/v1/reconciliation/pause", "wrong-token-0123456789").statusCode())
        .isEqualTo(401);
    assertThat(app.post("api/v1/presets/p-pool/resync", PrebuildsApp.ADMIN_TOKEN).statusCode())
        .isEqualTo(202);

    var paused = app.post("api/v1/reconciliation/pause", PrebuildsApp.ADMIN_TOKEN);
    assertThat(paused.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(paused.body()).get("topic").asText())
        .isEqualTo("prebuilds.settings.v1");
    // Any event makes the preset publish its new state; resync is the operator's way to ask.
    app.post("api/v1/presets/p-pool/resync", PrebuildsApp.ADMIN_TOKEN);
    await().atMost(WAIT).until(() -> page().contains("Reconciliation is paused"));

    assertThat(app.post("api/v1/reconciliation/resume", PrebuildsApp.ADMIN_TOKEN).statusCode())
        .isEqualTo(202);
    app.post("api/v1/presets/p-pool/resync", PrebuildsApp.ADMIN_TOKEN);
    await().atMost(WAIT).until(() -> !page().contains("Reconciliation is paused"));
  }

  private static String page() throws Exception {
    var response = app.get("");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    return response.body();
  }

  /** The table row of a preset, or "" while it is not shown. */
  private static String row(String presetId) throws Exception {
    var matcher =
        Pattern.compile("<tr id=\"preset-" + Pattern.quote(presetId) + "\".*?</tr>", Pattern.DOTALL)
            .matcher(page());
    return matcher.find() ? matcher.group() : "";
  }

  private static int cell(String row, String field) {
    var matcher = Pattern.compile("data-field=\"" + field + "\">(\\d+)<").matcher(row);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
  }
}
