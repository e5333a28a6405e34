package io.prebuilds.topology;

import static io.prebuilds.topology.TopologyHarness.preset;
import static io.prebuilds.topology.TopologyHarness.template;
import static io.prebuilds.topology.TopologyHarness.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import io.prebuilds.reconcile.Prebuild;
import io.prebuilds.schemas.StateSerde;
import io.prebuilds.schemas.event.CreatePrebuild;

/** Presets stored by earlier releases, before a field was added, still read. */
class StoredPresetFormatTest {

  private final Serde<StoredPreset> serde = StateSerde.builder(StoredPreset.class, 1).build();

  @Test
  void aPresetStoredBeforeDeparturesAndAgentReportTimesWereKeptReadsWithout() throws Exception {
    StoredPreset stored;
    try (TopologyHarness harness = new TopologyHarness()) {
      harness.template(template("v1", List.of(version("v1", preset("p1", 2)))));
      harness.completeCreates(harness.commands(harness.commands(), CreatePrebuild.class));
      stored = harness.stored("p1");
    }
    assertThat(stored.state().prebuilds()).hasSize(2);
    byte[] current = serde.serializer().serialize("preset-state-changelog", stored);

    SmileMapper smile = new SmileMapper();
    ObjectNode tree = (ObjectNode) smile.readTree(current, 1, current.length - 1);
    ObjectNode state = (ObjectNode) tree.get("state");
    assertThat(state.remove("departed")).isNotNull();
    for (JsonNode prebuild : state.get("prebuilds")) {
      ((ObjectNode) prebuild).remove("agentsObservedAt");
    }
    byte[] body = smile.writeValueAsBytes(tree);
    byte[] earlier = new byte[body.length + 1];
    earlier[0] = current[0];
    System.arraycopy(body, 0, earlier, 1, body.length);

    StoredPreset read = serde.deserializer().deserialize("preset-state-changelog", earlier);

    assertThat(read.state().departed()).isEmpty();
    assertThat(read.state().prebuilds())
        .allSatisfy(prebuild -> assertThat(prebuild.agentsObservedAt()).isNull());
    assertThat(read.state().prebuilds())
        .extracting(Prebuild::workspaceId)
        .containsExactlyElementsOf(
            stored.state().prebuilds().stream().map(Prebuild::workspaceId).toList());
  }
}
