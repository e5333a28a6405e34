package io.prebuilds.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.prebuilds.schemas.event.Lifecycle;
import io.prebuilds.schemas.event.TemplateSnapshot;
import io.prebuilds.schemas.event.UserRef;

/** Template snapshots for tests on a broker: one active version "v1" holding the given presets. */
public final class TestTemplates {
  private TestTemplates() {}

  /**
   * Template {@code templateId} of organization {@code organizationId} ("acme") with one admin, no
   * lifecycle settings, and one version "v1" with these presets (id → desired instances), each
   * named {@code <id>-name}, without schedules or TTL.
   */
  public static TemplateSnapshot withPresets(
      String templateId, String organizationId, Map<String, Integer> desired) {
    return withPresets(templateId, templateId + "-name", organizationId, desired);
  }

  /** The same, with the template's display name given. */
  public static TemplateSnapshot withPresets(
      String templateId, String templateName, String organizationId, Map<String, Integer> desired) {
    var presets =
        desired.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(
                e ->
                    new TemplateSnapshot.Preset(
                        e.getKey(),
                        e.getKey() + "-name",
                        e.getValue(),
                        Optional.empty(),
                        List.of(),
                        OptionalLong.empty(),
                        Optional.empty()))
            .toList();
    return new TemplateSnapshot(
        templateId,
        templateName,
        organizationId,
        "acme",
        List.of(new UserRef("admin-1", "platform-admin")),
        false,
        false,
        "v1",
        new Lifecycle(
            OptionalLong.empty(), Optional.empty(), OptionalInt.empty(), OptionalLong.empty()),
        List.of(new TemplateSnapshot.Version("v1", "v1", presets)),
        Instant.now());
  }
}
