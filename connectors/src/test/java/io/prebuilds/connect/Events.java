package io.prebuilds.connect;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** CloudEvents envelopes of the three read-model topics, as the streams app writes them. */
final class Events {

  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private Events() {}

  static String presetState(String presetId, String status, int desired, int running) {
    ObjectNode data = JSON.createObjectNode();
    data.put("presetId", presetId)
        .put("presetName", "name of " + presetId)
        .put("templateId", "template-1")
        .put("templateName", "dev box")
        .put("templateVersionId", "version-1")
        .put("organizationId", "org-1")
        .put("organizationName", "acme")
        .put("active", true)
        .put("status", status)
        .put("quarantined", false)
        .put("paused", false)
        .put("desired", desired)
        .put("running", running)
        .put("eligible", running)
        .put("starting", 0)
        .put("stopping", 0)
        .put("deleting", 0)
        .put("expired", 0)
        .put("extraneous", 0)
        .put("timedOut", 0)
        .put("updatedAt", T0.plusSeconds(running).toString());
    data.putObject("counters")
        .put("createdTotal", running)
        .put("failedTotal", 0)
        .put("claimedTotal", 0)
        .put("resourceReplacementsTotal", 0);
    data.putArray("explanation").add("desired " + desired + ", running " + running);
    return envelope("prebuilds.preset.state.v1", presetId + "-" + running, presetId, data);
  }

  static String notification(String notificationId, String presetId) {
    ObjectNode data = JSON.createObjectNode();
    data.put("notificationId", notificationId)
        .put("kind", "failure-limit-reached")
        .put("presetId", presetId)
        .put("templateId", "template-1")
        .put("organizationId", "org-1")
        .put("createdAt", T0.toString())
        .put("failures", 3);
    data.putArray("recipients").addObject().put("userId", "u-1").put("username", "admin");
    return envelope(
        "prebuilds.notification.failure-limit-reached.v1", notificationId, presetId, data);
  }

  static String claimFailedNotification(String notificationId, String presetId) {
    ObjectNode data = JSON.createObjectNode();
    data.put("notificationId", notificationId)
        .put("kind", "claim-failed")
        .put("presetId", presetId)
        .put("templateId", "template-1")
        .put("organizationId", "org-1")
        .put("createdAt", T0.toString())
        .put("claimId", "c-1")
        .put("workspaceId", "ws-1")
        .put("userId", "u-2")
        .put("buildNumber", 2)
        .put("reason", "claim build 2 failed for workspace ws-1");
    var recipients = data.putArray("recipients");
    recipients.addObject().put("userId", "u-2").put("username", "alice");
    recipients.addObject().put("userId", "u-1").put("username", "admin");
    return envelope("prebuilds.notification.claim-failed.v1", notificationId, presetId, data);
  }

  static String claimed(String claimId, String presetId) {
    ObjectNode data = JSON.createObjectNode();
    data.put("claimId", claimId)
        .put("presetId", presetId)
        .put("outcome", "claimed")
        .put("decidedAt", T0.toString())
        .put("workspaceId", "ws-" + claimId)
        .put("userId", "user-" + claimId);
    data.putObject("lifecycle").put("ttlSeconds", 3600);
    return envelope("prebuilds.claim.claimed.v1", claimId, claimId, data);
  }

  static String noPrebuildAvailable(String claimId, String presetId) {
    ObjectNode data = JSON.createObjectNode();
    data.put("claimId", claimId)
        .put("presetId", presetId)
        .put("outcome", "no-prebuild-available")
        .put("decidedAt", T0.toString())
        .put("reason", "none-eligible");
    return envelope("prebuilds.claim.no-prebuild-available.v1", claimId, claimId, data);
  }

  private static String envelope(String type, String id, String subject, ObjectNode data) {
    ObjectNode envelope = JSON.createObjectNode();
    envelope
        .put("specversion", "1.0")
        .put("id", id)
        .put("type", type)
        .put("source", "/prebuilds-streams/test")
        .put("time", T0.toString())
        .put("subject", subject)
        .put("datacontenttype", "application/json")
        .put("dataschema", "https://prebuilds.io/schemas/" + type + ".json")
        .set("data", data);
    return envelope.toString();
  }
}
