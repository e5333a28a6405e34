package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.ORG;
import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.prebuilds.schemas.event.CancelPending;
import io.prebuilds.schemas.event.Command;
import io.prebuilds.schemas.event.CreatePrebuild;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.PresetSnapshot;

/**
 * Capacity caps on the TopologyTestDriver: the admission stage shares an organization's cap among
 * its presets and every trimmed preset creates only its share and says why.
 */
class CapacityCapsTopologyTest {

  private static final Duration TICK = Duration.ofSeconds(1);

  private TopologyHarness harness;

  @AfterEach
  void close() {
    harness.close();
  }

  private void caps(Map<String, Integer> caps) {
    harness =
        new TopologyHarness(
            TopologySettings.defaults(1).withAdmission(new AdmissionSettings(0, caps)));
  }

  @Test
  void twoPresetsAskingFiveEachUnderACapOfSixGetThreeEach() {
    caps(Map.of(ORG, 6));
    harness.template(template("v1", List.of(version("v1", preset("a", 5), preset("b", 5)))));
    assertThat(creates()).as("nothing before the stage shared the cap").isEmpty();
    assertThat(harness.lastState("a").explanation())
        .contains("desired 5 trimmed to 0: waiting for a share of organization cap 6");

    harness.advance(TICK);

    assertThat(perPreset(creates())).isEqualTo(Map.of("a", 3L, "b", 3L));
    Map<String, PresetSnapshot> states = lastStates();
    assertThat(states.get("a").explanation())
        .contains("desired 5 trimmed to 3: organization cap 6 shared by 2 presets");
    assertThat(states.get("b").desired()).isEqualTo(3);
  }

  @Test
  void aThirdPresetTakesItsShareFromTheRunningOnesOldestFirst() {
    caps(Map.of(ORG, 6));
    harness.template(template("v1", List.of(version("v1", preset("a", 5), preset("b", 5)))));
    harness.advance(TICK);
    harness.completeCreates(creates());
    assertThat(harness.lastState("a").running()).isEqualTo(3);

    harness.template(
        template("v1", List.of(version("v1", preset("a", 5), preset("b", 5), preset("c", 5)))));
    assertThat(harness.commands()).as("the newcomer waits for its share").isEmpty();
    harness.advance(TICK);

    List<Command> commands = harness.commands();
    assertThat(perPreset(harness.commands(commands, CreatePrebuild.class)))
        .isEqualTo(Map.of("c", 2L));
    assertThat(
            harness.commands(commands, DeletePrebuild.class).stream()
                .collect(Collectors.groupingBy(DeletePrebuild::presetId, Collectors.counting())))
        .as("each of the others gives up one prebuild, as if its desired count were lowered")
        .isEqualTo(Map.of("a", 1L, "b", 1L));
    assertThat(harness.commands(commands, DeletePrebuild.class))
        .allMatch(delete -> delete.reason().wire().equals("extraneous"));
    assertThat(harness.lastState("a").explanation())
        .contains("desired 5 trimmed to 2: organization cap 6 shared by 3 presets");
  }

  @Test
  void aPresetThatWantsLessLeavesTheRestToTheOthers() {
    caps(Map.of(ORG, 6));
    harness.template(template("v1", List.of(version("v1", preset("a", 5), preset("b", 5)))));
    harness.advance(TICK);
    List<CreatePrebuild> first = creates();
    assertThat(perPreset(first)).isEqualTo(Map.of("a", 3L, "b", 3L));

    harness.template(template("v1", List.of(version("v1", preset("a", 1), preset("b", 5)))));
    harness.advance(TICK);

    List<Command> commands = harness.commands();
    assertThat(harness.commands(commands, CreatePrebuild.class)).hasSize(2);
    assertThat(harness.commands(commands, CreatePrebuild.class))
        .allMatch(create -> create.presetId().equals("b"));
    assertThat(harness.lastState("b").explanation()).noneMatch(line -> line.contains("trimmed"));
  }

  @Test
  void anUncappedOrganizationIsUnaffectedAndSendsNoAllowances() {
    caps(Map.of("another-org", 1));
    harness.template(template("v1", List.of(version("v1", preset("a", 5), preset("b", 5)))));

    assertThat(perPreset(creates())).isEqualTo(Map.of("a", 5L, "b", 5L));
    assertThat(harness.lastState("a").explanation()).noneMatch(line -> line.contains("cap"));
  }

  @Test
  void anInactivePresetGivesItsShareBack() {
    caps(Map.of(ORG, 4));
    harness.template(template("v1", List.of(version("v1", preset("a", 4), preset("b", 4)))));
    harness.advance(TICK);
    assertThat(perPreset(creates())).isEqualTo(Map.of("a", 2L, "b", 2L));

    harness.template(
        template(
            "v2",
            List.of(
                version("v1", preset("a", 4), preset("b", 4)), version("v2", preset("b2", 4)))));
    harness.advance(TICK);

    List<Command> commands = harness.commands();
    assertThat(harness.commands(commands, CancelPending.class)).isNotEmpty();
    assertThat(perPreset(harness.commands(commands, CreatePrebuild.class)))
        .as("the old version's presets want nothing now: the new one gets the whole cap")
        .isEqualTo(Map.of("b2", 4L));
  }

  /** The last preset-state record of every preset published since the last read. */
  private Map<String, PresetSnapshot> lastStates() {
    return harness.presetStates().stream()
        .collect(Collectors.toMap(PresetSnapshot::presetId, state -> state, (a, b) -> b));
  }

  private List<CreatePrebuild> creates() {
    return harness.commands(harness.commands(), CreatePrebuild.class);
  }

  private static Map<String, Long> perPreset(List<CreatePrebuild> creates) {
    return creates.stream()
        .collect(Collectors.groupingBy(CreatePrebuild::presetId, Collectors.counting()));
  }
}
