package io.prebuilds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.prebuilds.runtime.config.AppConfig;
import io.prebuilds.runtime.config.ConfigLoader;
import io.prebuilds.runtime.config.ConfigSources;

class ServiceStagesTest {

  @Test
  void theTopologyGetsTheConfiguredTickBoundsPacingAndClaimCommits() {
    var settings =
        ServiceStages.topologySettings(
            config(
                Map.of(
                    "prebuilds.due-index.max-presets-per-tick", "40",
                    "prebuilds.due-index.decisions-per-second", "75",
                    "prebuilds.claims.commit-within-ms", "250")));

    assertThat(settings.maxPresetsPerTick()).isEqualTo(40);
    assertThat(settings.decisionsPerSecond()).isEqualTo(75);
    assertThat(settings.claimCommitWithin()).isEqualTo(Duration.ofMillis(250));
  }

  private static AppConfig config(Map<String, String> file) {
    return ConfigLoader.load(
            new ConfigSources(
                Map.of("bootstrap.servers", "kafka:9092", "state.dir", "/var/lib/prebuilds"),
                Optional.of("app.properties"),
                file,
                Map.of(),
                Map.of()))
        .config();
  }
}
