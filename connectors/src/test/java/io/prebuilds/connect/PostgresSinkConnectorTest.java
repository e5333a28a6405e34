package io.prebuilds.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostgresSinkConnectorTest {

  private final PostgresSinkConnector connector = new PostgresSinkConnector();

  @Test
  void theExampleConfigIsValid() {
    assertThat(errors(TestSink.exampleConfig())).isEmpty();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "connection.url        | jdbc:mysql://db/prebuilds | must be a PostgreSQL JDBC URL",
        "pool.size             | 0                         | Value must be at least 1",
        "pool.size             | many                      | Not a number of type INT",
        "database.schema       | Prebuilds; DROP           | must be a lower-case PostgreSQL identifier",
        "connection.timeout.ms | 10                        | Value must be at least 250",
        "preset.state.topic    | ''                        | String must be non-empty",
      })
  void aMisconfiguredKeyFailsValidationWithAMessageNamingIt(
      String key, String value, String message) {
    Map<String, String> config = new HashMap<>(TestSink.exampleConfig());
    config.put(key, value);

    assertThat(errors(config))
        .containsOnlyKeys(key.equals("preset.state.topic") ? List.of(key, "topics") : List.of(key))
        .hasEntrySatisfying(
            key,
            messages -> assertThat(String.join("; ", messages)).contains(key).contains(message));
  }

  @Test
  void aMissingUrlIsNamed() {
    Map<String, String> config = new HashMap<>(TestSink.exampleConfig());
    config.remove("connection.url");

    assertThat(errors(config).get("connection.url"))
        .singleElement()
        .asString()
        .contains("Missing required configuration \"connection.url\"");
  }

  @Test
  void topicsMustAllBeReadModelTopics() {
    Map<String, String> config = new HashMap<>(TestSink.exampleConfig());
    config.put("topics", "prebuilds.preset-state.v1,prebuilds.commands.v1");

    assertThat(errors(config).get("topics"))
        .singleElement()
        .asString()
        .contains("[prebuilds.commands.v1] are not read-model topics");
  }

  @Test
  void everyTaskGetsTheConnectorsSettings() {
    connector.start(Map.of("connection.url", "jdbc:postgresql://db/prebuilds"));

    assertThat(connector.taskConfigs(3))
        .hasSize(3)
        .allSatisfy(
            task ->
                assertThat(task).containsEntry("connection.url", "jdbc:postgresql://db/prebuilds"));
    assertThat(connector.taskClass()).isEqualTo(PostgresSinkTask.class);
    assertThat(connector.version()).isNotBlank().doesNotContain("${");
  }

  @Test
  void theConfigDevRunsIsTheExampleWithLocalConnectionSettings() {
    Map<String, String> example = new HashMap<>(TestSink.exampleConfig());
    Map<String, String> dev =
        new HashMap<>(EmbeddedSinkWorker.readModelSinkConfig("jdbc:postgresql://localhost/dev"));
    for (String local :
        List.of(
            "connection.url",
            "connection.user",
            "connection.password",
            "database.schema",
            "tasks.max",
            "errors.deadletterqueue.topic.replication.factor")) {
      example.remove(local);
      dev.remove(local);
    }

    assertThat(dev).isEqualTo(example);
  }

  /** Validation errors by key, leaving out keys without errors. */
  private Map<String, List<String>> errors(Map<String, String> config) {
    Map<String, List<String>> errors = new HashMap<>();
    for (ConfigValue value : connector.validate(config).configValues()) {
      if (!value.errorMessages().isEmpty()) {
        errors.put(value.name(), value.errorMessages());
      }
    }
    return errors;
  }
}
