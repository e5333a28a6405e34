package io.prebuilds.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import io.prebuilds.schemas.event.EventType;

/**
 * The compiled JSON Schemas, loaded once per class loader: compiling is far more expensive than
 * validating, and compiled schemas are thread-safe.
 */
final class SchemaCatalog {

  static final String ENVELOPE_RESOURCE = "schemas/envelope.v1.json";

  private static final SchemaCatalog INSTANCE = load();

  private final Schema envelope;
  private final Map<EventType, Schema> data;

  private SchemaCatalog(Schema envelope, Map<EventType, Schema> data) {
    this.envelope = envelope;
    this.data = data;
  }

  static SchemaCatalog get() {
    return INSTANCE;
  }

  Schema envelope() {
    return envelope;
  }

  Schema data(EventType type) {
    return data.get(type);
  }

  /** The schema document of a classpath resource, for tooling and tests. */
  static JsonNode read(String resource) {
    try (InputStream in = SchemaCatalog.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing schema resource " + resource);
      }
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema resource " + resource, e);
    }
  }

  private static SchemaCatalog load() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(true)
            .build();
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaRegistryConfig(config));
    Map<EventType, Schema> data = new EnumMap<>(EventType.class);
    Arrays.stream(EventType.values())
        .forEach(type -> data.put(type, compile(registry, type.schemaResource())));
    return new SchemaCatalog(compile(registry, ENVELOPE_RESOURCE), data);
  }

  private static Schema compile(SchemaRegistry registry, String resource) {
    Schema schema = registry.getSchema(read(resource));
    schema.initializeValidators();
    return schema;
  }
}
