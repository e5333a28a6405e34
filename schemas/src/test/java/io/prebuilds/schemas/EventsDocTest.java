package io.prebuilds.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.prebuilds.schemas.event.EventType;

/** docs/events.md is what producers and workers read; it must not fall behind the contract. */
class EventsDocTest {

  private static final Path DOC = Path.of("..", "docs", "events.md");

  @Test
  void namesEveryTopicWithItsTypes() throws IOException {
    String doc = doc();

    for (TopicSpec<?> topic : Topics.all()) {
      String row =
          doc.lines()
              .filter(line -> line.startsWith("| `" + topic.name() + "`"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no row for " + topic.name()));
      topic.valueTypes().forEach(type -> assertThat(row).contains("`" + type.wire() + "`"));
    }
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void describesEveryFieldOfEveryType(EventType type) throws IOException {
    String section = section(doc(), "#### `" + type.wire() + "`");
    JsonNode schema = SchemaCatalog.read(type.schemaResource());

    List<JsonNode> objects = new ArrayList<>(List.of(schema));
    schema.path("$defs").forEach(objects::add);
    for (JsonNode object : objects) {
      object
          .get("properties")
          .fieldNames()
          .forEachRemaining(field -> assertThat(section).contains("| `" + field + "` |"));
    }
  }

  @Test
  void partitionCheckTableMatchesKafkasMurmur2() throws IOException {
    String doc = doc();
    String table =
        doc.substring(
            doc.indexOf("<!-- partition-check:begin -->"),
            doc.indexOf("<!-- partition-check:end -->"));
    List<String[]> rows =
        table
            .lines()
            .filter(line -> line.startsWith("| `"))
            .map(line -> Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new))
            .toList();

    assertThat(rows).isNotEmpty();
    for (String[] row : rows) {
      String key = row[1].replace("`", "");
      int hash = Utils.murmur2(key.getBytes(StandardCharsets.UTF_8));
      assertThat(Integer.toUnsignedString(hash)).as(key).isEqualTo(row[2]);
      assertThat(Utils.toPositive(hash) % 12).as(key).isEqualTo(Integer.parseInt(row[3]));
      assertThat(Utils.toPositive(hash) % 6).as(key).isEqualTo(Integer.parseInt(row[4]));
    }
  }

  private static String doc() throws IOException {
    return Files.readString(DOC, StandardCharsets.UTF_8);
  }

  private static String section(String doc, String heading) {
    int start = doc.indexOf(heading);
    assertThat(start).as("section " + heading).isNotNegative();
    int end = doc.indexOf("\n#", start + heading.length());
    return end < 0 ? doc.substring(start) : doc.substring(start, end);
  }
}
