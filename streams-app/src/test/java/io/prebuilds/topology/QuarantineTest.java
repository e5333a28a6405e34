package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.prebuilds.reconcile.PresetDefinition;
import io.prebuilds.schemas.StateSerde;
import io.prebuilds.schemas.event.CreatePrebuild;

/**
 * A preset whose processing throws is quarantined: nothing of its half-done handling is emitted,
 * other presets carry on, and it is retried with backoff until it succeeds.
 */
class QuarantineTest {

  private final TopologyHarness harness = new TopologyHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void failingPresetIsQuarantinedRetriedAndNeverBlocksTheOthers() {
    harness.template(template("v1", List.of(version("v1", preset("p1", 1), preset("p2", 1)))));
    harness.commands();
    StoredPreset p2 = stored("p2");

    // A definition of p2 delivered under p1's key: the core refuses it, so handling p1 throws.
    TestInputTopic<String, DefinitionUpdate> definitions =
        harness.driver.createInputTopic(
            "prebuilds-test-" + PrebuildsTopology.DEFINITIONS_REPARTITION + "-repartition",
            new StringSerializer(),
            StateSerde.builder(DefinitionUpdate.class, 1).build().serializer());
    PresetDefinition wrong = p2.state().definition();
    definitions.pipeInput(
        "p1", DefinitionUpdate.of(wrong, "/tests", "corrupt-1", false), harness.now());

    assertThat(harness.commands()).isEmpty();
    StoredPreset quarantined = stored("p1");
    assertThat(quarantined.quarantine()).isNotNull();
    assertThat(quarantined.quarantine().reason()).contains("given to preset p1");
    assertThat(quarantined.dueAt()).isEqualTo(harness.now().plusSeconds(30));
    assertThat(harness.lastState("p1").quarantined())
        .as("the read model learns of the quarantine")
        .isTrue();

    harness.template(template("v1", List.of(version("v1", preset("p1", 1), preset("p2", 2)))));
    assertThat(harness.commands(harness.commands(), CreatePrebuild.class))
        .extracting(CreatePrebuild::presetId)
        .containsExactly("p2");

    harness.advance(Duration.ofSeconds(31));
    assertThat(stored("p1").quarantine()).isNull();
    assertThat(harness.lastState("p1").quarantined())
        .as("the retry succeeds, and the read model learns of it")
        .isFalse();
  }

  private StoredPreset stored(String presetId) {
    return harness.stored(presetId);
  }
}
