package io.prebuilds.drift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the resource replacements out of a Terraform JSON plan ({@code terraform show -json}), as
 * Coder's provisioner does at claim time: {@code resource_changes[].change.replace_paths}, each
 * path rendered with dots; replace actions without paths are kept as "reason unavailable"; no-op
 * and in-place changes are not replacements; {@code coder_*} resources are left out ({@link
 * ReplacementRule}).
 */
public final class PlanReplacements {

  private PlanReplacements() {}

  /**
   * The replacements in {@code plan}, sorted by resource address; empty when nothing is replaced.
   */
  public static List<ResourceReplacement> read(JsonNode plan) {
    if (plan == null || !plan.isObject()) {
      throw new IllegalArgumentException("not a Terraform JSON plan: expected an object");
    }
    if (!plan.has("format_version")) {
      throw new IllegalArgumentException(
          "not a Terraform JSON plan: no format_version (use `terraform show -json <planfile>`)");
    }
    List<ResourceReplacement> replacements = new ArrayList<>();
    for (JsonNode change : plan.path("resource_changes")) {
      String address = change.path("address").asText();
      if (isReplacement(change.path("change").path("actions")) && ReplacementRule.counts(address)) {
        replacements.add(new ResourceReplacement(address, paths(change.path("change"))));
      }
    }
    replacements.sort(Comparator.comparing(ResourceReplacement::resource));
    return List.copyOf(replacements);
  }

  private static boolean isReplacement(JsonNode actions) {
    boolean delete = false;
    boolean create = false;
    for (JsonNode action : actions) {
      delete |= action.asText().equals("delete");
      create |= action.asText().equals("create");
    }
    return delete && create;
  }

  private static List<String> paths(JsonNode change) {
    List<String> paths = new ArrayList<>();
    for (JsonNode path : change.path("replace_paths")) {
      paths.add(render(path));
    }
    return paths.stream().sorted().distinct().toList();
  }

  /**
   * {@code ["root_block_device", 0, "volume_size"]} becomes {@code
   * root_block_device.0.volume_size}.
   */
  static String render(JsonNode path) {
    if (!path.isArray()) {
      return path.asText();
    }
    List<String> steps = new ArrayList<>();
    for (JsonNode step : path) {
      steps.add(step.isArray() ? render(step) : step.asText());
    }
    return String.join(".", steps);
  }
}
