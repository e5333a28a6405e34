package io.prebuilds.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reads real plans made by terraform (src/test/resources/terraform/make-fixtures.sh). */
class PlanReplacementsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void planWithoutChangesHasNoReplacements() throws IOException {
    assertThat(PlanReplacements.read(plan("plan-no-changes.json"))).isEmpty();
  }

  @Test
  void reportsReplacedResourcesWithTheirPathsAndSkipsInPlaceUpdates() throws IOException {
    assertThat(PlanReplacements.read(plan("plan-replacements.json")))
        .containsExactly(
            new ResourceReplacement("terraform_data.home_disk", List.of("triggers_replace")),
            new ResourceReplacement("terraform_data.instance", List.of("triggers_replace")));
  }

  @Test
  void taintedResourceIsReplacedWithReasonUnavailable() throws IOException {
    List<ResourceReplacement> replacements = PlanReplacements.read(plan("plan-tainted.json"));
    assertThat(replacements)
        .containsExactly(new ResourceReplacement("terraform_data.metadata", List.of()));
    assertThat(replacements.get(0).reasonAvailable()).isFalse();
  }

  @Test
  void ignoresCoderResourcesAndRendersNestedPaths() throws IOException {
    assertThat(PlanReplacements.read(plan("plan-with-coder-resource.json")))
        .extracting(ResourceReplacement::resource)
        .containsExactly(
            "module.storage.docker_volume.home[0]",
            "terraform_data.home_disk",
            "terraform_data.instance");
    assertThat(PlanReplacements.read(plan("plan-with-coder-resource.json")).get(0).paths())
        .containsExactly("labels", "root_block_device.0.volume_size");
  }

  @Test
  void rejectsSomethingThatIsNotAPlan() {
    assertThatThrownBy(() -> PlanReplacements.read(MAPPER.readTree("{\"resource_changes\":[]}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("terraform show -json");
  }

  @ParameterizedTest
  @CsvSource({
    "coder_agent.main, false",
    "module.ws.coder_app.code_server[0], false",
    "data.coder_workspace.me, false",
    "aws_instance.dev, true",
    "module.coder_stuff.aws_instance.dev, true",
  })
  void coderResourcesDoNotCount(String address, boolean counts) {
    assertThat(ReplacementRule.counts(address)).isEqualTo(counts);
  }

  private static JsonNode plan(String name) throws IOException {
    try (InputStream in = PlanReplacementsTest.class.getResourceAsStream("/terraform/" + name)) {
      return MAPPER.readTree(in);
    }
  }
}
