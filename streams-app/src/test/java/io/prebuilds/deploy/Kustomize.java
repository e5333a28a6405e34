package io.prebuilds.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset our manifests use,
 * so tests need no cluster and no kubectl: {@code resources} (files and kustomization folders),
 * strategic-merge {@code patches} given by {@code path} (the patch names its target by kind and
 * metadata.name), {@code namespace} and {@code images}. Anything else in a kustomization.yaml is
 * rejected, so a new feature cannot be silently ignored by the tests.
 *
 * <p>Strategic merge as Kubernetes does it for these fields: maps merge recursively, a null value
 * deletes, lists of containers, env vars and volumes merge by {@code name}, every other list is
 * replaced.
 */
final class Kustomize {

  private static final Set<String> SUPPORTED =
      Set.of("apiVersion", "kind", "resources", "patches", "namespace", "images");
  private static final Set<String> MERGED_BY_NAME =
      Set.of("containers", "initContainers", "env", "volumes");

  private Kustomize() {}

  static List<ObjectNode> render(Path directory) {
    ObjectNode kustomization = DeployFiles.readYaml(directory.resolve("kustomization.yaml"));
    for (Iterator<String> fields = kustomization.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!SUPPORTED.contains(field)) {
        throw new IllegalArgumentException(
            directory
                + "/kustomization.yaml uses '"
                + field
                + "', which Kustomize.java cannot render");
      }
    }
    List<ObjectNode> resources = new ArrayList<>();
    for (JsonNode entry : kustomization.path("resources")) {
      Path resource = directory.resolve(entry.asText()).normalize();
      if (Files.isDirectory(resource)) {
        resources.addAll(render(resource));
      } else {
        resources.addAll(DeployFiles.readYamlDocuments(resource));
      }
    }
    for (JsonNode patch : kustomization.path("patches")) {
      if (!patch.has("path") || patch.size() != 1) {
        throw new IllegalArgumentException("only 'patches: - path: <file>' is supported: " + patch);
      }
      for (ObjectNode patchDocument :
          DeployFiles.readYamlDocuments(directory.resolve(patch.path("path").asText()))) {
        merge(
            find(
                resources,
                patchDocument.path("kind").asText(),
                patchDocument.path("metadata").path("name").asText()),
            patchDocument);
      }
    }
    if (kustomization.has("namespace")) {
      String namespace = kustomization.path("namespace").asText();
      resources.forEach(r -> ((ObjectNode) r.path("metadata")).put("namespace", namespace));
    }
    for (JsonNode image : kustomization.path("images")) {
      resources.forEach(r -> setImage(r, image));
    }
    return resources;
  }

  /** The resource of the given kind and name, or an exception naming what was looked for. */
  static ObjectNode find(List<ObjectNode> resources, String kind, String name) {
    return findOptional(resources, kind, name)
        .orElseThrow(() -> new IllegalArgumentException("no " + kind + " named " + name));
  }

  static Optional<ObjectNode> findOptional(List<ObjectNode> resources, String kind, String name) {
    return resources.stream()
        .filter(r -> r.path("kind").asText().equals(kind))
        .filter(r -> r.path("metadata").path("name").asText().equals(name))
        .findFirst();
  }

  private static void merge(ObjectNode target, ObjectNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      JsonNode existing = target.get(key);
      if (value.isNull()) {
        target.remove(key);
      } else if (existing instanceof ObjectNode existingObject && value instanceof ObjectNode o) {
        merge(existingObject, o);
      } else if (existing instanceof ArrayNode existingArray
          && value instanceof ArrayNode array
          && MERGED_BY_NAME.contains(key)) {
        mergeByName(existingArray, array);
      } else {
        target.set(key, value.deepCopy());
      }
    }
  }

  private static void mergeByName(ArrayNode target, ArrayNode patch) {
    for (JsonNode item : patch) {
      String name = item.path("name").asText();
      ObjectNode match = null;
      for (JsonNode existing : target) {
        if (existing.path("name").asText().equals(name)) {
          match = (ObjectNode) existing;
        }
      }
      if (match == null) {
        target.add(item.deepCopy());
      } else {
        merge(match, (ObjectNode) item);
      }
    }
  }

  /** {@code registry:5000/app:1.0@sha256:...} without tag and digest. */
  static String imageName(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = withoutDigest.lastIndexOf(':');
    return colon > withoutDigest.lastIndexOf('/')
        ? withoutDigest.substring(0, colon)
        : withoutDigest;
  }

  private static void setImage(ObjectNode resource, JsonNode image) {
    JsonNode podSpec = resource.path("spec").path("template").path("spec");
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode container : podSpec.path(list)) {
        String current = container.path("image").asText();
        String currentName = imageName(current);
        if (currentName.equals(image.path("name").asText())) {
          String name = image.path("newName").asText(currentName);
          String tag = image.has("newTag") ? ":" + image.path("newTag").asText() : "";
          ((ObjectNode) container).put("image", name + tag);
        }
      }
    }
  }
}
