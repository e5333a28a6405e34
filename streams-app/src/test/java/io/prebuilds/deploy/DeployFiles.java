package io.prebuilds.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Finds the repository's deploy artefacts and reads them as JSON trees. */
final class DeployFiles {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeployFiles() {}

  /** The repository root: the nearest ancestor of the working directory with a deploy folder. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("deploy")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no repository root with a deploy/ folder above the build");
  }

  static Path path(String relative) {
    return repoRoot().resolve(relative);
  }

  /** Every document of a (multi-document) YAML file, empty documents skipped. */
  static List<ObjectNode> readYamlDocuments(Path file) {
    return readYamlDocuments(read(file));
  }

  /** Every document of a multi-document YAML text, empty documents skipped. */
  static List<ObjectNode> readYamlDocuments(String text) {
    try (JsonParser parser = new YAMLFactory().createParser(text);
        MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class)) {
      List<ObjectNode> out = new ArrayList<>();
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc instanceof ObjectNode object) {
          out.add(object);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse YAML", e);
    }
  }

  /** The single document of a YAML file. */
  static ObjectNode readYaml(Path file) {
    List<ObjectNode> docs = readYamlDocuments(file);
    if (docs.size() != 1) {
      throw new IllegalStateException(file + " has " + docs.size() + " documents, expected 1");
    }
    return docs.get(0);
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read JSON " + file, e);
    }
  }

  static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  /** An executable on the PATH, if there is one. */
  static Optional<Path> onPath(String executable) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, executable))) {
        return Optional.of(Path.of(dir, executable));
      }
    }
    return Optional.empty();
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
