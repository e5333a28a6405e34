package io.prebuilds.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class TopologySettingsTest {

  private final TopologySettings defaults = TopologySettings.defaults(4);

  @Test
  void aBuilderThatChangesNothingBuildsEqualSettings() {
    assertThat(defaults.toBuilder().build()).isEqualTo(defaults);
  }

  @Test
  void aBuilderChangesOnlyWhatItIsTold() {
    TopologySettings changed =
        defaults.toBuilder()
            .tick(Duration.ofSeconds(3))
            .parkTtl(Duration.ofMinutes(7))
            .cachedPresets(0)
            .build();

    assertThat(changed.tick()).isEqualTo(Duration.ofSeconds(3));
    assertThat(changed.parkTtl()).isEqualTo(Duration.ofMinutes(7));
    assertThat(changed.cachedPresets()).isZero();
    assertThat(changed.toBuilder().tick(defaults.tick()).build())
        .isEqualTo(defaults.toBuilder().parkTtl(Duration.ofMinutes(7)).cachedPresets(0).build());
    assertThat(changed.partitions()).isEqualTo(4);
  }

  @Test
  void witherLeavesTheOtherSettingsAlone() {
    TopologySettings changed = defaults.withTick(Duration.ofSeconds(2), 9);

    assertThat(changed.tick()).isEqualTo(Duration.ofSeconds(2));
    assertThat(changed.maxPresetsPerTick()).isEqualTo(9);
    assertThat(changed.withTick(defaults.tick(), defaults.maxPresetsPerTick())).isEqualTo(defaults);
  }

  @Test
  void builtSettingsAreValidatedLikeConstructedOnes() {
    assertThatThrownBy(() -> defaults.toBuilder().tick(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tick must be positive");
    assertThatThrownBy(() -> defaults.withClaimCommitWithin(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claimCommitWithin must be >= 0");
  }
}
