package io.prebuilds.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Replays a scenario through the real topology in a {@link TopologyTestDriver} with a virtual
 * clock.
 *
 * <p>Why step through due times: the driver fires a wall-clock punctuator at most once per {@code
 * advanceWallClockTime} call, so one long advance would collapse every timer on the way into a
 * single tick. Instead the clock moves to each due time in turn (at least {@code tick} apart, so
 * the punctuator fires), exactly as a real wall clock would pass them.
 *
 * <p>Output is deterministic: after every step (an input line or a clock move) the records written
 * are drained topic by topic in the order given, each topic in write order, and rendered with a
 * fixed field order and UTC instants, so runs are byte-identical in any timezone and locale.
 */
public final class Simulation implements AutoCloseable {

  private final TopologyTestDriver driver;
  private final ObjectMapper mapper;
  private final Map<String, TestInputTopic<String, byte[]>> inputs = new LinkedHashMap<>();
  private final Map<String, TestOutputTopic<String, byte[]>> outputs = new LinkedHashMap<>();
  private final Function<TopologyTestDriver, Optional<Instant>> nextDue;
  private final Duration tick;
  private final boolean explain;
  private final String explainedTopic;
  private Instant now;

  public Simulation(
      Topology topology,
      Properties config,
      Instant start,
      Set<String> inputTopics,
      List<String> outputTopics,
      Function<TopologyTestDriver, Optional<Instant>> nextDue,
      Duration tick,
      ObjectMapper mapper,
      Explain explain) {
    this.driver = new TopologyTestDriver(topology, config, start);
    this.mapper = mapper;
    this.nextDue = nextDue;
    this.tick = tick;
    this.explain = explain.enabled();
    this.explainedTopic = explain.topic();
    this.now = start;
    for (String topic : inputTopics.stream().sorted().toList()) {
      inputs.put(
          topic, driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer()));
    }
    for (String topic : outputTopics) {
      outputs.put(
          topic,
          driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer()));
    }
  }

  /**
   * Runs every step and writes every output record as one JSON line. {@link ScenarioStep.Settings}
   * steps shaped the topology before the run and do nothing here.
   */
  public void run(List<ScenarioStep> steps, Writer out) {
    for (ScenarioStep step : steps) {
      if (step instanceof ScenarioStep.Input input) {
        pipe(input, out);
      } else if (step instanceof ScenarioStep.Advance advance) {
        advance(advance.by(), out);
      }
    }
  }

  /** The virtual time now. */
  public Instant now() {
    return now;
  }

  /** The driver, for tests that inspect stores after a scenario. */
  public TopologyTestDriver driver() {
    return driver;
  }

  private void pipe(ScenarioStep.Input input, Writer out) {
    byte[] value = input.value().isNull() ? null : bytes(input.value());
    inputs.get(input.topic()).pipeInput(input.key(), value, now);
    drain(out);
  }

  private void advance(Duration by, Writer out) {
    Instant target = now.plus(by);
    while (true) {
      Optional<Instant> due = nextDue.apply(driver).filter(at -> !at.isAfter(target));
      Instant step = due.map(at -> latest(at, now.plus(tick))).orElse(target);
      if (step.isAfter(target)) {
        step = target;
      }
      if (step.isAfter(now)) {
        driver.advanceWallClockTime(Duration.between(now, step));
        now = step;
      }
      drain(out);
      if (due.isEmpty() || !now.isBefore(target)) {
        return;
      }
    }
  }

  private void drain(Writer out) {
    for (Map.Entry<String, TestOutputTopic<String, byte[]>> topic : outputs.entrySet()) {
      for (TestRecord<String, byte[]> record : topic.getValue().readRecordsToList()) {
        write(out, topic.getKey(), record);
      }
    }
  }

  private void write(Writer out, String topic, TestRecord<String, byte[]> record) {
    try {
      StringBuilderWriter line = new StringBuilderWriter();
      try (JsonGenerator json = mapper.getFactory().createGenerator(line)) {
        json.writeStartObject();
        json.writeStringField("topic", topic);
        json.writeStringField("key", record.key());
        json.writeFieldName("value");
        if (record.value() == null) {
          json.writeNull();
        } else {
          json.writeTree(tree(record.value()));
        }
        json.writeStringField("time", record.getRecordTime().toString());
        json.writeEndObject();
      }
      out.write(line.toString());
      out.write('\n');
      if (explain && topic.equals(explainedTopic) && record.value() != null) {
        writeExplanation(out, record.key(), tree(record.value()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeExplanation(Writer out, String key, JsonNode value) throws IOException {
    for (JsonNode reason : value.path("data").path("explanation")) {
      out.write("# explain " + key + ": " + reason.asText() + "\n");
    }
  }

  private JsonNode tree(byte[] value) throws IOException {
    try {
      return mapper.readTree(value);
    } catch (IOException notJson) {
      return mapper.getNodeFactory().textNode(new String(value, StandardCharsets.UTF_8));
    }
  }

  private byte[] bytes(JsonNode value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  @Override
  public void close() {
    driver.close();
  }

  /**
   * Whether to print a preset's plain-language reasons after each of its state records, as {@code #
   * explain <key>: <reason>} comment lines, and which topic carries them.
   */
  public record Explain(boolean enabled, String topic) {}

  /** A writer into a string builder, so one record is one write on the real output. */
  private static final class StringBuilderWriter extends Writer {
    private final StringBuilder text = new StringBuilder(256);

    @Override
    public void write(char[] chars, int offset, int length) {
      text.append(chars, offset, length);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
