package io.prebuilds.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import org.junit.jupiter.api.Test;

class AdmissionKeysTest {

  @Test
  void queueAndDeadlineKeysSortLikeTheirNumbers() {
    assertThat(AdmissionStage.zeroPadded(0)).isEqualTo("00000000000000000000");
    assertThat(AdmissionStage.zeroPadded(9)).isLessThan(AdmissionStage.zeroPadded(10));
    assertThat(AdmissionStage.zeroPadded(1_764_000_000_000L))
        .isEqualTo(String.format(Locale.ROOT, "%020d", 1_764_000_000_000L));
    assertThat(AdmissionStage.zeroPadded(Long.MAX_VALUE)).hasSize(20);
  }
}
