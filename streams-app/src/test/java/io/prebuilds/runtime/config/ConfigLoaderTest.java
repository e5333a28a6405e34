package io.prebuilds.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private static final Map<String, String> REQUIRED =
      Map.of("bootstrap.servers", "kafka:9092", "state.dir", "/var/lib/prebuilds");

  private static LoadedConfig load(
      Map<String, String> file, Map<String, String> environment, Map<String, String> flags) {
    var flagValues = new java.util.HashMap<String, ConfigValue>();
    flags.forEach((key, value) -> flagValues.put(key, new ConfigValue(value, "flag --set " + key)));
    return ConfigLoader.load(
        new ConfigSources(REQUIRED, Optional.of("app.properties"), file, environment, flagValues));
  }

  private static AppConfig config(
      Map<String, String> file, Map<String, String> environment, Map<String, String> flags) {
    return load(file, environment, flags).config();
  }

  @Test
  void defaultsGiveExactlyOnceAndExplicitNaming() {
    var config = config(Map.of(), Map.of(), Map.of());

    assertThat(config.streams().processingGuarantee())
        .isEqualTo(ProcessingGuarantee.EXACTLY_ONCE_V2);
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().adminToken()).isEmpty();
    assertThat(config.topics()).isEqualTo(new TopicSettings(8, (short) 3));
    assertThat(config.reconcile().backoffInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.reconcile().failureHardLimit()).isEqualTo(3);
    assertThat(config.threadFailures())
        .isEqualTo(new ThreadFailureLimit(3, Duration.ofMinutes(10)));
    var properties = config.streamsProperties();
    assertThat(properties)
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2")
        .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true")
        .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "prebuilds-streams")
        .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092")
        .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, "3")
        .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1")
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100")
        .containsEntry("compression.type", "snappy")
        .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1")
        .containsEntry("main.consumer.max.partition.fetch.bytes", "262144")
        .doesNotContainKey("max.partition.fetch.bytes")
        .doesNotContainKey("restore.consumer.max.partition.fetch.bytes");
  }

  @Test
  void decisionPacingIs200ASecondByDefaultAndZeroTurnsItOff() {
    assertThat(config(Map.of(), Map.of(), Map.of()).reconcile().dueIndexDecisionsPerSecond())
        .isEqualTo(200);
    assertThat(
            config(Map.of(), Map.of("PREBUILDS_DUE_INDEX_DECISIONS_PER_SECOND", "0"), Map.of())
                .reconcile()
                .dueIndexDecisionsPerSecond())
        .isZero();
  }

  @Test
  void freshClaimsCommitWithin100MsByDefaultAndZeroTurnsItOff() {
    assertThat(config(Map.of(), Map.of(), Map.of()).reconcile().claimCommitWithin())
        .isEqualTo(Duration.ofMillis(100));
    assertThat(
            config(Map.of(), Map.of("PREBUILDS_CLAIMS_COMMIT_WITHIN_MS", "0"), Map.of())
                .reconcile()
                .claimCommitWithin())
        .isZero();
  }

  @Test
  void capacityCapsAreNoneByDefaultAndReadPerOrganization() {
    assertThat(config(Map.of(), Map.of(), Map.of()).reconcile().capacityCaps()).isEmpty();

    var caps =
        config(Map.of(), Map.of("PREBUILDS_CAPACITY_CAPS", " org-a=20, org-b = 5 "), Map.of())
            .reconcile()
            .capacityCaps();

    assertThat(caps).isEqualTo(Map.of("org-a", 20, "org-b", 5));
  }

  @Test
  void fileOverridesDefaultsEnvironmentOverridesFileFlagsOverrideEnvironment() {
    var file = Map.of("prebuilds.http.port", "8081", "prebuilds.topics.partitions", "12");
    var environment =
        Map.of("PREBUILDS_HTTP_PORT", "8082", "PREBUILDS_ADMIN_TOKEN", "0123456789abcdef");
    var flags = Map.of("prebuilds.http.port", "8083");

    assertThat(config(file, Map.of(), Map.of()).http().port()).isEqualTo(8081);
    assertThat(config(file, environment, Map.of()).http().port()).isEqualTo(8082);
    var all = config(file, environment, flags);
    assertThat(all.http().port()).isEqualTo(8083);
    assertThat(all.topics().partitions()).isEqualTo(12);
    assertThat(all.http().adminToken()).contains(new AdminToken("0123456789abcdef"));
  }

  @Test
  void kafkaVariablesThatNameKafkaSettingsPassThroughWithValuesUnchanged() {
    var jaas =
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"App\" password=\"S3cret;\";";
    var environment =
        Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "broker-1:9093,broker-2:9093",
            "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "KAFKA_SASL_MECHANISM", "PLAIN",
            "KAFKA_SASL_JAAS_CONFIG", jaas,
            "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/Truststore.JKS",
            "KAFKA_PRODUCER_LINGER_MS", "5",
            "KAFKA_PROCESSING_GUARANTEE", "at_least_once");

    var properties = config(Map.of(), environment, Map.of()).streamsProperties();

    assertThat(properties)
        .containsEntry("bootstrap.servers", "broker-1:9093,broker-2:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("sasl.jaas.config", jaas)
        .containsEntry("ssl.truststore.location", "/etc/kafka/Truststore.JKS")
        .containsEntry("producer.linger.ms", "5")
        .containsEntry("processing.guarantee", "at_least_once");
  }

  @Test
  void serviceLinkVariablesAreIgnoredAndReported() {
    var environment =
        Map.of(
            "KAFKA_PORT", "tcp://10.0.0.1:9092",
            "KAFKA_SERVICE_HOST", "10.0.0.1",
            "KAFKA_PORT_9092_TCP_ADDR", "10.0.0.1",
            "KAFKA_HEAP_OPTS", "-Xmx1g",
            "PREBUILDS_SERVICE_PORT", "8080",
            "PREBUILDS_PORT", "tcp://10.0.0.2:8080",
            "HOME", "/root");

    var loaded = load(Map.of(), environment, Map.of());

    assertThat(loaded.ignoredVariables())
        .extracting(IgnoredVariable::name)
        .containsExactly(
            "KAFKA_HEAP_OPTS",
            "KAFKA_PORT",
            "KAFKA_PORT_9092_TCP_ADDR",
            "KAFKA_SERVICE_HOST",
            "PREBUILDS_PORT",
            "PREBUILDS_SERVICE_PORT");
    assertThat(loaded.config().streamsProperties().stringPropertyNames())
        .noneMatch(
            name -> name.contains("port") || name.contains("service") || name.equals("home"));
  }

  @Test
  void otherFileKeysPassThroughToKafka() {
    var properties =
        config(Map.of("max.poll.records", "250", "ssl.keystore.password", "pw"), Map.of(), Map.of())
            .streamsProperties();

    assertThat(properties)
        .containsEntry("max.poll.records", "250")
        .containsEntry("ssl.keystore.password", "pw");
  }

  @Test
  void compressionCanBeChangedForAllProducersOrThroughTheProducerPrefix() {
    assertThat(config(Map.of("compression.type", "zstd"), Map.of(), Map.of()).streamsProperties())
        .containsEntry("compression.type", "zstd");
    assertThat(
            config(Map.of(), Map.of("KAFKA_COMPRESSION_TYPE", "none"), Map.of())
                .streamsProperties())
        .containsEntry("compression.type", "none");
    assertThat(
            config(Map.of("producer.compression.type", "gzip"), Map.of(), Map.of())
                .streamsProperties())
        .containsEntry("producer.compression.type", "gzip");
  }

  @Test
  void anyFetchSizeTheOperatorGivesReplacesTheMainConsumersDefault() {
    for (String name :
        List.of(
            "max.partition.fetch.bytes",
            "consumer.max.partition.fetch.bytes",
            "main.consumer.max.partition.fetch.bytes")) {
      var properties = config(Map.of(name, "1048576"), Map.of(), Map.of()).streamsProperties();
      assertThat(properties).as(name).containsEntry(name, "1048576");
      assertThat(properties.get("main.consumer.max.partition.fetch.bytes"))
          .as(name)
          .isNotEqualTo("262144");
    }
  }

  @Test
  void taskIdlingCanBeTurnedBackOn() {
    assertThat(
            config(Map.of(), Map.of("KAFKA_MAX_TASK_IDLE_MS", "0"), Map.of()).streamsProperties())
        .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0");
  }

  @Test
  void explicitNamingCanBeTurnedOffDeliberately() {
    var properties =
        config(Map.of("ensure.explicit.internal.resource.naming", "false"), Map.of(), Map.of())
            .streamsProperties();

    assertThat(properties).containsEntry("ensure.explicit.internal.resource.naming", "false");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "prebuilds.http.port|abc|prebuilds.http.port: \"abc\" is not an integer (from file app.properties)",
        "prebuilds.http.port|70000|prebuilds.http.port: 70000 is out of range; it must be between 0 and 65535 (from file app.properties)",
        "prebuilds.topics.partitions|0|prebuilds.topics.partitions: 0 is out of range; it must be between 1 and 100000 (from file app.properties)",
        "processing.guarantee|exactly_once|processing.guarantee: \"exactly_once\" is not supported; use one of exactly_once_v2, at_least_once (from file app.properties)",
        "bootstrap.servers|kafka|bootstrap.servers: \"kafka\" is not a comma-separated list of host:port (from file app.properties)",
        "prebuilds.admin.token|short|prebuilds.admin.token: must be at least 16 characters without whitespace (from file app.properties)",
        "prebuilds.htp.port|8080|prebuilds.htp.port: unknown setting (from file app.properties)",
        "prebuilds.capacity.caps|org-a=20,org-b|prebuilds.capacity.caps: capacity cap entry 'org-b' is not organizationId=cap with a whole number >= 0 (e.g. org-a=20,org-b=5) (from file app.properties)",
        "prebuilds.capacity.caps|org-a=-1|prebuilds.capacity.caps: capacity cap entry 'org-a=-1' is not organizationId=cap with a whole number >= 0 (e.g. org-a=20,org-b=5) (from file app.properties)",
        "prebuilds.due-index.decisions-per-second|-5|prebuilds.due-index.decisions-per-second: -5 is out of range; it must be between 0 and 2147483647 (from file app.properties)",
        "prebuilds.capacity.caps|org-a=2,org-a=3|prebuilds.capacity.caps: capacity cap of organization 'org-a' is given twice (from file app.properties)",
      })
  void invalidSettingsFailWithAMessageNamingTheKeyAndOrigin(
      String key, String value, String message) {
    assertThatThrownBy(() -> config(Map.of(key, value), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message)
        .extracting(e -> ((ConfigException) e).key())
        .isEqualTo(key);
  }

  @Test
  void errorsNameTheEnvironmentVariableThatSetTheValue() {
    assertThatThrownBy(
            () -> config(Map.of(), Map.of("PREBUILDS_SHUTDOWN_TIMEOUT_SECONDS", "soon"), Map.of()))
        .hasMessage(
            "prebuilds.shutdown.timeout-seconds: \"soon\" is not an integer (from environment variable PREBUILDS_SHUTDOWN_TIMEOUT_SECONDS)");
  }

  @Test
  void unknownAppSettingInAFlagIsAnError() {
    assertThatThrownBy(() -> config(Map.of(), Map.of(), Map.of("prebuilds.nope", "1")))
        .hasMessage("prebuilds.nope: unknown setting (from flag --set prebuilds.nope)");
  }

  @Test
  void missingBootstrapServersSaysWhereToSetThem() {
    var sources =
        new ConfigSources(
            Map.of("state.dir", "/tmp/x"), Optional.empty(), Map.of(), Map.of(), Map.of());

    assertThatThrownBy(() -> ConfigLoader.load(sources))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "bootstrap.servers: required; set it in the config file, with KAFKA_BOOTSTRAP_SERVERS or with --set bootstrap.servers=...");
  }

  @Test
  void invalidPassThroughValuesAreCaughtAtStartByKafkasOwnValidation() {
    assertThatThrownBy(() -> config(Map.of("max.poll.records", "many"), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max.poll.records");
  }

  @Test
  void secretsNeverAppearInToString() {
    var config =
        config(
            Map.of("sasl.jaas.config", "module required password=\"hunter2\";"),
            Map.of("PREBUILDS_ADMIN_TOKEN", "super-secret-token-1234"),
            Map.of());

    assertThat(config.toString())
        .doesNotContain("hunter2")
        .doesNotContain("super-secret-token-1234");
  }

  @Test
  void adminPropertiesCarryConnectionAndSecuritySettingsOnly() {
    var properties =
        config(
                Map.of(
                    "security.protocol", "SSL",
                    "admin.request.timeout.ms", "5000",
                    "max.poll.records", "10"),
                Map.of(),
                Map.of())
            .streams()
            .adminProperties();

    assertThat(properties)
        .containsEntry("bootstrap.servers", "kafka:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("request.timeout.ms", "5000")
        .doesNotContainKey("max.poll.records");
  }

  @Test
  void readsAPropertiesFileAndReportsAMissingOne(@TempDir Path directory) throws Exception {
    var file = directory.resolve("app.properties");
    Files.writeString(file, "prebuilds.http.port=9000\nsasl.mechanism=SCRAM-SHA-512\n");

    assertThat(ConfigLoader.readFile(file))
        .containsEntry("prebuilds.http.port", "9000")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    var missing = directory.resolve("missing.properties");
    assertThatThrownBy(() -> ConfigLoader.readFile(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file " + missing + ": not found");
  }

  @Test
  void everySettingIsDocumentedWithItsEnvironmentVariable() throws Exception {
    var docs = Files.readString(Path.of("..", "docs", "configuration.md"));

    for (var setting : Setting.values()) {
      assertThat(docs)
          .as("docs/configuration.md documents %s", setting.key())
          .contains("`" + setting.key() + "`")
          .contains("`" + setting.environmentVariable() + "`");
    }
  }
}
