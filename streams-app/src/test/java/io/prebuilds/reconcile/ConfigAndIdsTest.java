package io.prebuilds.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ConfigAndIdsTest {

  @Test
  void defaultsAreCoders() {
    ReconcileConfig config = ReconcileConfig.defaults();
    assertThat(config.backoffInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.backoffLookback()).isEqualTo(Duration.ofHours(1));
    assertThat(config.failureHardLimit()).isEqualTo(3);
    assertThat(config.commandTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.resyncInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(config.failedRetention()).isEqualTo(1);
  }

  @Test
  void invalidSettingsAreNamed() {
    assertThatThrownBy(
            () ->
                new ReconcileConfig(
                    Duration.ZERO,
                    Duration.ofHours(1),
                    -1,
                    Duration.ofMinutes(30),
                    null,
                    Duration.ofMinutes(-1),
                    -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid reconcile configuration: backoffInterval must be a positive duration, got"
                + " PT0S; resyncInterval must be a positive duration, got null; resyncJitter must"
                + " be zero or positive, got PT-1M; failureHardLimit must be >= 0 (0 disables it),"
                + " got -1; failedRetention must be >= 0, got -2");
  }

  @Test
  void resyncIsJitteredPerPresetButStable() {
    ReconcileConfig config = ReconcileConfig.defaults();
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      Duration after = config.resyncAfter("preset-" + i);
      assertThat(after).isBetween(Duration.ofHours(1), Duration.ofMinutes(70).minusMillis(1));
      assertThat(config.resyncAfter("preset-" + i)).isEqualTo(after);
      seen.add(after);
    }
    assertThat(seen).hasSizeGreaterThan(90);
  }

  @Test
  void commandIdsAreStableUuidsOfEveryPart() {
    Trigger trigger = Trigger.event("/provisioner", "evt-1");
    String id = CommandIds.commandId("p", trigger, "create", "0");
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(CommandIds.commandId("p", trigger, "create", "0")).isEqualTo(id);
    assertThat(CommandIds.commandId("p", trigger, "create", "1")).isNotEqualTo(id);
    assertThat(CommandIds.commandId("q", trigger, "create", "0")).isNotEqualTo(id);
    assertThat(CommandIds.commandId("p", trigger, "delete", "0")).isNotEqualTo(id);
    assertThat(CommandIds.commandId("p", Trigger.event("/provisioner", "evt-2"), "create", "0"))
        .isNotEqualTo(id);
    // Length-prefixed parts: moving a character between parts changes the id.
    assertThat(CommandIds.commandId("ab", Trigger.event("c", "d"), "k", "t"))
        .isNotEqualTo(CommandIds.commandId("a", Trigger.event("bc", "d"), "k", "t"));
    assertThat(CommandIds.workspaceId(id)).isNotEqualTo(id).hasSize(36);
    assertThat(CommandIds.workspaceName(id)).matches("prebuild-[0-9a-f]{12}").hasSizeLessThan(33);
  }

  @Test
  void timerTriggersAreNamedByTheirDueTime() {
    Instant due = Instant.parse("2025-06-02T12:00:00Z");
    assertThat(Trigger.timer(due))
        .isEqualTo(new Trigger("prebuilds-streams/timer", "2025-06-02T12:00:00Z"));
  }
}
