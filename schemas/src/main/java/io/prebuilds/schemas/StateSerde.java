package io.prebuilds.schemas;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde for state-store values and changelogs that a later release can still read: the first byte
 * is the state format version, the rest is the value's body. Reading an older version applies the
 * registered migrations one version at a time ({@code 1 -> 2 -> ... -> current}) on the tree of the
 * body before binding, so a release that changes its state classes only adds a migration. Within
 * one version, added fields are tolerated (unknown fields ignored, absent optionals empty).
 *
 * <p>The body is written in Smile, Jackson's binary JSON, with times as epoch milliseconds: the
 * preset state is read and written on every event, and a JSON body with RFC 3339 times made its
 * (de)serialization the largest cost of the stream thread (see docs/benchmarks.md). Smile binds the
 * same records through the same Jackson configuration, so the change is not a format version:
 * earlier releases wrote a JSON body, and a body is told apart by its first bytes (Smile opens with
 * the header {@code :)\n}, JSON with an opening brace or bracket), so state stores and changelogs
 * written before the change, at any version, still read and migrate. A value already in the current
 * version, what nearly every read finds, is bound straight from the bytes: building a tree only
 * pays off when a migration has to edit it.
 *
 * <pre>{@code
 * Serde<PresetState> serde =
 *     StateSerde.builder(PresetState.class, 2)
 *         .migration(1, json -> json.put("paused", false))
 *         .build();
 * }</pre>
 */
public final class StateSerde<T> {

  private static final byte[] SMILE_HEADER = {':', ')', '\n'};
  private static final int INITIAL_BUFFER_BYTES = 1024;

  private final Class<T> type;
  private final int version;
  private final Map<Integer, UnaryOperator<ObjectNode>> migrations;
  private final ObjectReader smileReader;
  private final ObjectReader jsonReader;

  private StateSerde(
      Class<T> type, int version, Map<Integer, UnaryOperator<ObjectNode>> migrations) {
    this.type = type;
    this.version = version;
    this.migrations = Map.copyOf(migrations);
    this.smileReader = Json.SMILE.readerFor(type);
    this.jsonReader = Json.MAPPER.readerFor(type);
  }

  /**
   * Starts a serde for {@code type} whose current format is {@code version} (1 to 127).
   *
   * @param version bump it whenever a change is not purely additive, and add a migration
   */
  public static <T> Builder<T> builder(Class<T> type, int version) {
    return new Builder<>(type, version);
  }

  /** Registers migrations and builds the serde. */
  public static final class Builder<T> {
    private final Class<T> type;
    private final int version;
    private final Map<Integer, UnaryOperator<ObjectNode>> migrations = new TreeMap<>();

    private Builder(Class<T> type, int version) {
      if (version < 1 || version > Byte.MAX_VALUE) {
        throw new IllegalArgumentException("state version must be 1..127, got " + version);
      }
      this.type = type;
      this.version = version;
    }

    /** How to turn a value of format {@code fromVersion} into {@code fromVersion + 1}. */
    public Builder<T> migration(int fromVersion, UnaryOperator<ObjectNode> upgrade) {
      if (fromVersion < 1 || fromVersion >= version) {
        throw new IllegalArgumentException(
            "a migration starts at a version between 1 and "
                + (version - 1)
                + ", got "
                + fromVersion);
      }
      if (migrations.putIfAbsent(fromVersion, upgrade) != null) {
        throw new IllegalArgumentException("two migrations from version " + fromVersion);
      }
      return this;
    }

    public Serde<T> build() {
      StateSerde<T> state = new StateSerde<>(type, version, migrations);
      Serializer<T> serializer = (topic, value) -> value == null ? null : state.write(value);
      Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : state.read(bytes);
      return Serdes.serdeFrom(serializer, deserializer);
    }
  }

  private byte[] write(T value) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(INITIAL_BUFFER_BYTES)) {
      out.write(version);
      Json.SMILE.writeValue(out, value);
      return out.toByteArray();
    } catch (IOException e) {
      throw new SerializationException("cannot write state " + type.getSimpleName(), e);
    }
  }

  private T read(byte[] bytes) {
    if (bytes.length < 2) {
      throw new SerializationException(
          type.getSimpleName() + " state is " + bytes.length + " bytes, too short to hold a value");
    }
    int written = bytes[0];
    if (written < 1 || written > version) {
      throw new SerializationException(
          type.getSimpleName()
              + " state has format version "
              + written
              + "; this release reads versions 1 to "
              + version
              + " (was it written by a newer release?)");
    }
    boolean smile = isSmile(bytes);
    try {
      if (written == version) {
        return (smile ? smileReader : jsonReader).readValue(bytes, 1, bytes.length - 1);
      }
      ObjectMapper mapper = smile ? Json.SMILE : Json.MAPPER;
      JsonNode tree = mapper.readTree(bytes, 1, bytes.length - 1);
      for (int from = written; from < version; from++) {
        UnaryOperator<ObjectNode> migration = migrations.get(from);
        if (migration == null) {
          throw new SerializationException(
              type.getSimpleName()
                  + " state of version "
                  + from
                  + " has no migration to "
                  + (from + 1));
        }
        if (!(tree instanceof ObjectNode object)) {
          throw new SerializationException(
              type.getSimpleName() + " state of version " + from + " is not a JSON object");
        }
        tree = migration.apply(object);
      }
      return mapper.treeToValue(tree, type);
    } catch (IOException e) {
      throw new SerializationException(
          "cannot read "
              + type.getSimpleName()
              + " state of version "
              + written
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Whether the body after the version byte opens with Smile's header {@code :)\n}. */
  private static boolean isSmile(byte[] bytes) {
    return bytes.length > SMILE_HEADER.length
        && bytes[1] == SMILE_HEADER[0]
        && bytes[2] == SMILE_HEADER[1]
        && bytes[3] == SMILE_HEADER[2];
  }
}
