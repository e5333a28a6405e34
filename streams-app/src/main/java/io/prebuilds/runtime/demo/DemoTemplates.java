package io.prebuilds.runtime.demo;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.prebuilds.schemas.event.Lifecycle;
import io.prebuilds.schemas.event.TemplateSnapshot;
import io.prebuilds.schemas.event.UserRef;

/**
 * The demo's templates: "Go development" with two presets (a small one that keeps 3 prebuilds, and
 * one whose pool grows to 2 on weekday working hours by a schedule), and "Broken image", whose one
 * preset always fails to build, so the failure hard limit and its notification show.
 */
public final class DemoTemplates {
  public static final String ORGANIZATION_ID = "demo-org";
  public static final String TEMPLATE_ID = "demo-go";
  public static final String BROKEN_TEMPLATE_ID = "demo-broken";
  public static final String VERSION_ID = "demo-go-v1";
  public static final String BROKEN_VERSION_ID = "demo-broken-v1";
  public static final String SMALL_PRESET = "demo-go-small";
  public static final String SCHEDULED_PRESET = "demo-go-scheduled";
  public static final String BROKEN_PRESET = "demo-broken-default";

  /** The presets users claim from (the broken one never has a prebuild). */
  public static final List<String> CLAIMABLE = List.of(SMALL_PRESET, SCHEDULED_PRESET);

  /** Every demo preset, for inventory snapshots. */
  public static final List<String> PRESETS = List.of(SMALL_PRESET, SCHEDULED_PRESET, BROKEN_PRESET);

  private static final UserRef ADMIN = new UserRef("demo-admin", "ada");

  private DemoTemplates() {}

  public static List<TemplateSnapshot> snapshots(Instant now) {
    var lifecycle =
        new Lifecycle(
            OptionalLong.of(8 * 3600),
            Optional.of("CRON_TZ=UTC 0 8 * * 1-5"),
            OptionalInt.empty(),
            OptionalLong.empty());
    var go =
        new TemplateSnapshot(
            TEMPLATE_ID,
            "Go development",
            ORGANIZATION_ID,
            "Demo organization",
            List.of(ADMIN),
            false,
            false,
            VERSION_ID,
            lifecycle,
            List.of(
                new TemplateSnapshot.Version(
                    VERSION_ID,
                    "v1",
                    List.of(
                        preset(SMALL_PRESET, "small", 3, List.of()),
                        preset(
                            SCHEDULED_PRESET,
                            "large (more on weekdays 08-18 UTC)",
                            1,
                            List.of(new TemplateSnapshot.Schedule("* 8-18 * * 1-5", 2)))))),
            now);
    var broken =
        new TemplateSnapshot(
            BROKEN_TEMPLATE_ID,
            "Broken image",
            ORGANIZATION_ID,
            "Demo organization",
            List.of(ADMIN),
            false,
            false,
            BROKEN_VERSION_ID,
            Lifecycle.none(),
            List.of(
                new TemplateSnapshot.Version(
                    BROKEN_VERSION_ID,
                    "v1",
                    List.of(preset(BROKEN_PRESET, "default", 1, List.of())))),
            now);
    return List.of(go, broken);
  }

  private static TemplateSnapshot.Preset preset(
      String id, String name, int desired, List<TemplateSnapshot.Schedule> schedules) {
    return new TemplateSnapshot.Preset(
        id, name, desired, Optional.of("UTC"), schedules, OptionalLong.empty(), Optional.empty());
  }
}
