package io.prebuilds.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LifecycleTest {
  private final List<String> events = new ArrayList<>();

  private Stage stage(String name) {
    return new Stage(
        name,
        context -> {
          events.add("start " + name);
          return () -> events.add("stop " + name);
        });
  }

  @Test
  void startsInOrderAndStopsInReverse() throws Exception {
    var lifecycle = Lifecycle.start(List.of(stage("broker"), stage("topics"), stage("app")), null);
    lifecycle.close();
    lifecycle.close();

    assertThat(events)
        .containsExactly(
            "start broker", "start topics", "start app", "stop app", "stop topics", "stop broker");
  }

  @Test
  void aFailingStageStopsTheOnesBeforeItAndNamesItself() {
    var failing =
        new Stage(
            "topics",
            context -> {
              throw new IllegalStateException("prebuilds.builds.v1 has 4 partitions, expected 8");
            });

    assertThatThrownBy(() -> Lifecycle.start(List.of(stage("broker"), failing, stage("app")), null))
        .isInstanceOf(StageFailedException.class)
        .hasMessage("failed to start topics: prebuilds.builds.v1 has 4 partitions, expected 8");
    assertThat(events).containsExactly("start broker", "stop broker");
  }

  @Test
  void aStageThatFailsToStopDoesNotKeepOthersRunning() throws Exception {
    var stubborn =
        new Stage(
            "stubborn",
            context ->
                () -> {
                  throw new IllegalStateException("cannot stop");
                });

    Lifecycle.start(List.of(stage("broker"), stubborn, stage("app")), null).close();

    assertThat(events).containsExactly("start broker", "start app", "stop app", "stop broker");
  }
}
