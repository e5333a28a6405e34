package io.prebuilds.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.prebuilds.schemas.event.EventType;
import io.prebuilds.schemas.event.FailureLimitReached;

/**
 * Records and schemas cannot drift: every record component is a schema property and the other way
 * round, at every nesting level, with matching JSON types, requiredness (required exactly when the
 * Java type is not optional) and enum values.
 */
class ContractDriftTest {

  /** Enum-typed fields whose schema deliberately allows only some of the Java constants. */
  private static final Set<String> NARROWED_ENUMS =
      Set.of(FailureLimitReached.class.getName() + ".status");

  @ParameterizedTest
  @EnumSource(EventType.class)
  void recordAndDataSchemaDescribeTheSameFields(EventType type) {
    JsonNode schema = SchemaCatalog.read(type.schemaResource());
    List<String> problems = new ArrayList<>();

    compareObject(type.recordClass(), schema, schema, type.wire(), problems);

    assertThat(problems).isEmpty();
  }

  @Test
  void envelopeRecordAndEnvelopeSchemaDescribeTheSameAttributes() {
    JsonNode schema = SchemaCatalog.read(SchemaCatalog.ENVELOPE_RESOURCE);
    Set<String> components =
        Arrays.stream(Envelope.class.getRecordComponents())
            .map(RecordComponent::getName)
            .collect(Collectors.toSet());
    Set<String> required =
        Arrays.stream(Envelope.class.getRecordComponents())
            .filter(c -> !isOptional(c.getType()))
            .map(RecordComponent::getName)
            .collect(Collectors.toSet());

    assertThat(names(schema.get("properties"))).isEqualTo(components);
    assertThat(texts(schema.get("required"))).isEqualTo(required);
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void schemaIdIsTheDataschemaOfTheType(EventType type) {
    JsonNode schema = SchemaCatalog.read(type.schemaResource());

    assertThat(schema.get("$id").asText()).isEqualTo(type.schemaUri());
    assertThat(schema.get("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyPropertyIsDescribedForProducers(EventType type) {
    JsonNode schema = SchemaCatalog.read(type.schemaResource());
    List<JsonNode> objects = new ArrayList<>(List.of(schema));
    fields(schema.path("$defs")).forEach(definition -> objects.add(definition.getValue()));
    List<String> undocumented = new ArrayList<>();
    objects.stream()
        .flatMap(object -> fields(object.get("properties")).stream())
        .filter(field -> !field.getValue().has("description"))
        .forEach(field -> undocumented.add(field.getKey()));

    assertThat(undocumented).isEmpty();
  }

  /** A record that does not match its schema, to show the comparison finds drift. */
  record Drifted(String presetId, int count, Optional<String> note) {}

  @Test
  void driftIsDetected() throws Exception {
    JsonNode schema =
        Json.MAPPER.readTree(
            """
            {"type": "object", "required": ["presetId", "count", "note"],
             "properties": {"presetId": {"type": "string"}, "count": {"type": "string"},
                            "note": {"type": "string"}}}
            """);
    List<String> problems = new ArrayList<>();

    compareObject(Drifted.class, schema, schema, "drifted", problems);

    assertThat(problems).anyMatch(problem -> problem.contains("requires"));
    assertThat(problems).anyMatch(problem -> problem.contains("drifted/count"));
  }

  private void compareObject(
      Class<?> recordClass, JsonNode schema, JsonNode root, String where, List<String> problems) {
    JsonNode object = resolve(schema, root);
    if (!"object".equals(object.path("type").asText())) {
      problems.add(where + ": schema is not an object for record " + recordClass.getSimpleName());
      return;
    }
    Set<String> recordProperties = new LinkedHashSet<>();
    Set<String> recordRequired = new HashSet<>();
    for (RecordComponent component : recordClass.getRecordComponents()) {
      recordProperties.add(component.getName());
      if (!isOptional(component.getType())) {
        recordRequired.add(component.getName());
      }
    }
    for (Method method : recordClass.getDeclaredMethods()) {
      JsonProperty property = method.getAnnotation(JsonProperty.class);
      if (property != null) {
        recordProperties.add(property.value());
        recordRequired.add(property.value());
      }
    }
    Set<String> schemaProperties = names(object.get("properties"));
    Set<String> schemaRequired = texts(object.get("required"));
    if (!schemaProperties.equals(recordProperties)) {
      problems.add(
          where
              + ": schema properties "
              + schemaProperties
              + " differ from record "
              + recordClass.getSimpleName()
              + " "
              + recordProperties);
      return;
    }
    if (!schemaRequired.equals(recordRequired)) {
      problems.add(
          where
              + ": schema requires "
              + schemaRequired
              + " but the record requires "
              + recordRequired);
    }
    for (RecordComponent component : recordClass.getRecordComponents()) {
      compareValue(
          component.getGenericType(),
          object.get("properties").get(component.getName()),
          root,
          where + "/" + component.getName(),
          recordClass.getName() + "." + component.getName(),
          problems);
    }
    for (Method method : recordClass.getDeclaredMethods()) {
      JsonProperty property = method.getAnnotation(JsonProperty.class);
      if (property != null && !object.get("properties").get(property.value()).has("const")) {
        problems.add(where + "/" + property.value() + ": a derived property must be a const");
      }
    }
  }

  private void compareValue(
      Type javaType,
      JsonNode schema,
      JsonNode root,
      String where,
      String fieldName,
      List<String> problems) {
    JsonNode resolved = resolve(schema, root);
    Class<?> raw = rawClass(javaType);
    Set<String> jsonTypes = texts(resolved.get("type"));
    if (isOptional(raw)) {
      if (!jsonTypes.contains("null") && !resolved.has("$ref")) {
        problems.add(where + ": optional in the record but the schema does not allow null");
      }
      jsonTypes.remove("null");
    }
    Type element = elementType(javaType);
    Class<?> elementClass = rawClass(element);
    String expected = jsonType(elementClass);
    if (!jsonTypes.equals(Set.of(expected))) {
      problems.add(
          where + ": schema type " + jsonTypes + " but the record has " + element.getTypeName());
      return;
    }
    if (elementClass == Instant.class && !"date-time".equals(resolved.path("format").asText())) {
      problems.add(where + ": a time must have format date-time");
    }
    if (elementClass.isEnum()) {
      compareEnum(elementClass, resolved, where, fieldName, problems);
    }
    if (elementClass.isRecord()) {
      compareObject(elementClass, resolved, root, where, problems);
    }
    if (elementClass == List.class) {
      compareValue(
          ((ParameterizedType) element).getActualTypeArguments()[0],
          resolved.get("items"),
          root,
          where + "/items",
          fieldName,
          problems);
    }
  }

  private static void compareEnum(
      Class<?> enumClass, JsonNode schema, String where, String fieldName, List<String> problems) {
    Set<String> javaValues =
        Arrays.stream(enumClass.getEnumConstants())
            .map(ContractDriftTest::wire)
            .collect(Collectors.toSet());
    Set<String> schemaValues = texts(schema.get("enum"));
    schemaValues.remove("null");
    boolean matches =
        NARROWED_ENUMS.contains(fieldName)
            ? javaValues.containsAll(schemaValues)
            : javaValues.equals(schemaValues);
    if (!matches) {
      problems.add(where + ": schema enum " + schemaValues + " but Java has " + javaValues);
    }
  }

  private static String wire(Object constant) {
    try {
      for (Method method : constant.getClass().getDeclaredMethods()) {
        if (method.isAnnotationPresent(JsonValue.class)) {
          return (String) method.invoke(constant);
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException(constant.getClass() + " has no @JsonValue");
  }

  private static JsonNode resolve(JsonNode schema, JsonNode root) {
    JsonNode ref = schema.get("$ref");
    return ref == null ? schema : root.at(ref.asText().substring(1));
  }

  private static boolean isOptional(Class<?> type) {
    return type == Optional.class || type == OptionalInt.class || type == OptionalLong.class;
  }

  private static Type elementType(Type type) {
    Class<?> raw = rawClass(type);
    if (raw == Optional.class) {
      return ((ParameterizedType) type).getActualTypeArguments()[0];
    }
    if (raw == OptionalInt.class) {
      return int.class;
    }
    if (raw == OptionalLong.class) {
      return long.class;
    }
    return type;
  }

  private static Class<?> rawClass(Type type) {
    return type instanceof ParameterizedType parameterized
        ? (Class<?>) parameterized.getRawType()
        : (Class<?>) type;
  }

  private static String jsonType(Class<?> type) {
    if (type == String.class || type == Instant.class || type.isEnum()) {
      return "string";
    }
    if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
      return "integer";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "boolean";
    }
    if (type == List.class) {
      return "array";
    }
    if (type.isRecord()) {
      return "object";
    }
    throw new IllegalArgumentException("no JSON type for " + type);
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new LinkedHashSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<Map.Entry<String, JsonNode>> fields(JsonNode object) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    object.fields().forEachRemaining(fields::add);
    return fields;
  }

  /** A string, or the strings of an array; missing gives an empty set. */
  private static Set<String> texts(JsonNode node) {
    if (node == null) {
      return new HashSet<>();
    }
    if (node.isTextual()) {
      return new HashSet<>(Set.of(node.asText()));
    }
    return StreamSupport.stream(node.spliterator(), false)
        .map(JsonNode::asText)
        .collect(Collectors.toCollection(HashSet::new));
  }
}
