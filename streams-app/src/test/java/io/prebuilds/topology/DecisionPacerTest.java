package io.prebuilds.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecisionPacerTest {
  private static final long T0 = 1_000_000L;

  @Test
  void anIdleInstanceDecidesATicksShareAtOnceAndNoMore() {
    var pacer = new DecisionPacer(200, 100);

    assertThat(pacer.take(T0, 500)).isEqualTo(20);
    assertThat(pacer.take(T0, 1)).isZero();
  }

  @Test
  void theBudgetRefillsWithTheWallClockUpToOneTicksShare() {
    var pacer = new DecisionPacer(200, 100);
    pacer.take(T0, 500);

    assertThat(pacer.take(T0 + 50, 500)).isEqualTo(10);
    assertThat(pacer.take(T0 + 10_050, 500)).isEqualTo(20);
  }

  @Test
  void whatATickDidNotUseGoesBack() {
    var pacer = new DecisionPacer(200, 100);
    int granted = pacer.take(T0, 500);

    pacer.giveBack(granted - 3);

    assertThat(pacer.take(T0, 500)).isEqualTo(17);
  }

  @Test
  void aClockGoingBackNeitherRefillsNorBreaksTheBudget() {
    var pacer = new DecisionPacer(200, 100);
    pacer.take(T0, 500);

    assertThat(pacer.take(T0 - 5_000, 1)).isZero();
    assertThat(pacer.take(T0 + 5, 500)).isEqualTo(1);
  }

  @Test
  void aLowRateStillAllowsOneDecisionAtATime() {
    var pacer = new DecisionPacer(1, 100);

    assertThat(pacer.take(T0, 5)).isEqualTo(1);
    assertThat(pacer.take(T0 + 500, 5)).isZero();
    assertThat(pacer.take(T0 + 1_000, 5)).isEqualTo(1);
  }

  @Test
  void unpacedGrantsEverything() {
    var pacer = new DecisionPacer(DecisionPacer.UNPACED, 100);

    assertThat(pacer.take(T0, 500)).isEqualTo(500);
    assertThat(pacer.take(T0, 500)).isEqualTo(500);
  }

  @Test
  void aNegativeRateIsRefused() {
    assertThatThrownBy(() -> new DecisionPacer(-1, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }
}
