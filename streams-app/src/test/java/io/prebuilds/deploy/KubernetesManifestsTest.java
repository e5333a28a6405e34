package io.prebuilds.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The invariants of issue 9 on the rendered dev and prod overlays. Rendered by {@link Kustomize}
 * (no cluster, no kubectl); where kubectl is installed, its own rendering is checked as well and
 * must agree.
 */
class KubernetesManifestsTest {

  private static final Path OVERLAYS = DeployFiles.path("deploy/k8s/overlays");
  private static final String APP = "prebuilds-streams";
  private static final String CONNECT = "prebuilds-connect";
  private static final Pattern ENV_NAME = Pattern.compile("(PREBUILDS|KAFKA)_[A-Z0-9_]+");
  private static final Set<String> KUBERNETES_ENV = Set.of("POD_NAME", "POD_NAMESPACE");
  private static final Set<String> JVM_ENV = Set.of("JAVA_TOOL_OPTIONS");
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Z0-9_]+)}");

  /** One rendering of one overlay. */
  record Render(String overlay, String renderer, List<ObjectNode> resources) {
    @Override
    public String toString() {
      return overlay + " (" + renderer + ")";
    }

    ObjectNode get(String kind, String name) {
      return Kustomize.find(resources, kind, name);
    }

    Optional<ObjectNode> find(String kind, String name) {
      return Kustomize.findOptional(resources, kind, name);
    }

    List<ObjectNode> ofKind(String kind) {
      return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
    }

    /** Our workloads (not the dev overlay's throwaway Kafka and PostgreSQL). */
    List<ObjectNode> ourWorkloads() {
      return workloads().stream()
          .filter(r -> r.path("metadata").path("name").asText().startsWith("prebuilds-"))
          .toList();
    }

    List<ObjectNode> workloads() {
      return resources.stream()
          .filter(r -> Set.of("StatefulSet", "Deployment", "Job").contains(r.path("kind").asText()))
          .toList();
    }

    ObjectNode app() {
      return get("StatefulSet", APP);
    }

    JsonNode appContainer() {
      return container(app(), APP);
    }

    String appSetting(String key) {
      JsonNode value = get("ConfigMap", APP).path("data").path(key);
      assertThat(value.isMissingNode()).as("ConfigMap %s sets %s", APP, key).isFalse();
      return value.asText();
    }

    boolean isProd() {
      return overlay.equals("prod");
    }
  }

  /** Rendered once per test class: kubectl takes a second or two per overlay. */
  private static List<Render> cached;

  static synchronized Stream<Render> renders() {
    if (cached == null) {
      cached = renderAll();
    }
    return cached.stream();
  }

  private static List<Render> renderAll() {
    List<Render> renders = new ArrayList<>();
    for (String overlay : List.of("dev", "prod")) {
      renders.add(
          new Render(overlay, "Kustomize.java", Kustomize.render(OVERLAYS.resolve(overlay))));
      kubectlKustomize(OVERLAYS.resolve(overlay))
          .ifPresent(r -> renders.add(new Render(overlay, "kubectl kustomize", r)));
    }
    return List.copyOf(renders);
  }

  static Stream<Arguments> overlays() {
    return Stream.of(Arguments.of("dev"), Arguments.of("prod"));
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void ourRendererAgreesWithKubectl(String overlay) {
    Optional<List<ObjectNode>> kubectl = kubectlKustomize(OVERLAYS.resolve(overlay));
    assumeTrue(kubectl.isPresent(), "kubectl not on PATH: comparison with kubectl skipped");
    assertThat(byKindAndName(Kustomize.render(OVERLAYS.resolve(overlay))))
        .isEqualTo(byKindAndName(kubectl.orElseThrow()));
  }

  @ParameterizedTest
  @MethodSource("renders")
  void theAppIsAStatefulSetWithItsStateOnAVolumePerPod(Render render) {
    ObjectNode app = render.app();
    assertThat(app.at("/spec/volumeClaimTemplates/0/metadata/name").asText()).isEqualTo("state");
    assertThat(mountPath(render.appContainer(), "state"))
        .contains(render.appSetting("KAFKA_STATE_DIR"));
    assertThat(render.appContainer().path("command"))
        .extracting(JsonNode::asText)
        .containsExactly("java", "-jar", "/app/prebuilds-streams.jar", "run");
  }

  @ParameterizedTest
  @MethodSource("renders")
  void staticMembershipUsesThePodNameWithAnExplicitSessionTimeout(Render render) {
    Map<String, JsonNode> env = env(render.appContainer());
    assertThat(env.get("POD_NAME").at("/valueFrom/fieldRef/fieldPath").asText())
        .isEqualTo("metadata.name");
    assertThat(env.get("KAFKA_GROUP_INSTANCE_ID").path("value").asText()).isEqualTo("$(POD_NAME)");
    assertDefinedBefore(render.appContainer(), "POD_NAME", "KAFKA_GROUP_INSTANCE_ID");
    int sessionTimeoutMs = Integer.parseInt(render.appSetting("KAFKA_SESSION_TIMEOUT_MS"));
    assertThat(sessionTimeoutMs).isBetween(10_000, 120_000);
    assertThat(DeployFiles.read(DeployFiles.path("deploy/README.md")))
        .contains("KAFKA_SESSION_TIMEOUT_MS")
        .contains("claim stall");
  }

  @ParameterizedTest
  @MethodSource("renders")
  void applicationServerIsThePodsNameUnderAHeadlessServiceThatPublishesNotReadyPods(Render render) {
    ObjectNode app = render.app();
    String serviceName = app.at("/spec/serviceName").asText();
    String port = render.appSetting("PREBUILDS_HTTP_PORT");
    Map<String, JsonNode> env = env(render.appContainer());
    assertThat(env.get("KAFKA_APPLICATION_SERVER").path("value").asText())
        .isEqualTo("$(POD_NAME)." + serviceName + ".$(POD_NAMESPACE).svc.cluster.local:" + port);
    assertThat(env.get("POD_NAMESPACE").at("/valueFrom/fieldRef/fieldPath").asText())
        .isEqualTo("metadata.namespace");
    assertDefinedBefore(render.appContainer(), "POD_NAMESPACE", "KAFKA_APPLICATION_SERVER");
    assertThat(containerPort(render.appContainer(), "http")).isEqualTo(Integer.parseInt(port));

    ObjectNode headless = render.get("Service", serviceName);
    assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
    assertThat(headless.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
    assertSelects(headless.at("/spec/selector"), app);
  }

  @ParameterizedTest
  @MethodSource("renders")
  void standbyReplicasHaveAnotherPodToLiveOn(Render render) {
    int standbys = Integer.parseInt(render.appSetting("KAFKA_NUM_STANDBY_REPLICAS"));
    int replicas = render.app().at("/spec/replicas").asInt();
    assertThat(replicas).isGreaterThan(standbys);
    if (render.isProd()) {
      assertThat(standbys).isGreaterThanOrEqualTo(1);
      assertThat(
              render
                  .app()
                  .at("/spec/template/spec/topologySpreadConstraints/0/topologyKey")
                  .asText())
          .isEqualTo("kubernetes.io/hostname");
    }
  }

  @ParameterizedTest
  @MethodSource("renders")
  void probesUseReadyzAndHealthz(Render render) {
    JsonNode container = render.appContainer();
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
    assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
  }

  @ParameterizedTest
  @MethodSource("renders")
  void terminationGraceExceedsTheAppsShutdownBound(Render render) {
    int shutdownSeconds = Integer.parseInt(render.appSetting("PREBUILDS_SHUTDOWN_TIMEOUT_SECONDS"));
    assertThat(render.app().at("/spec/template/spec/terminationGracePeriodSeconds").asInt())
        .isGreaterThan(shutdownSeconds);
  }

  @ParameterizedTest
  @MethodSource("renders")
  void ourWorkloadsRunAsNonRootOnAReadOnlyRootWithTmpInMemoryAndBoundedResources(Render render) {
    assertThat(render.ourWorkloads()).hasSizeGreaterThanOrEqualTo(4);
    for (ObjectNode workload : render.ourWorkloads()) {
      String name = workload.at("/metadata/name").asText();
      JsonNode pod = workload.at("/spec/template/spec");
      assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(name).isTrue();
      assertThat(pod.at("/securityContext/runAsUser").asInt()).as(name).isPositive();
      assertThat(pod.at("/securityContext/seccompProfile/type").asText())
          .as(name)
          .isEqualTo("RuntimeDefault");
      assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as(name).isFalse();
      for (JsonNode container : pod.path("containers")) {
        String where = name + "/" + container.path("name").asText();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
            .as(where)
            .isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
            .as(where)
            .isFalse();
        assertThat(container.at("/securityContext/capabilities/drop").toString())
            .as(where)
            .contains("ALL");
        for (String resource : List.of("cpu", "memory")) {
          assertThat(container.at("/resources/requests/" + resource).isMissingNode())
              .as("%s requests %s", where, resource)
              .isFalse();
          assertThat(container.at("/resources/limits/" + resource).isMissingNode())
              .as("%s limits %s", where, resource)
              .isFalse();
        }
      }
    }
    JsonNode appPod = render.app().at("/spec/template/spec");
    String tmpVolume = volumeMountedAt(render.appContainer(), "/tmp").orElseThrow();
    assertThat(volume(appPod, tmpVolume).has("emptyDir")).as("/tmp is an emptyDir").isTrue();
    assertThat(render.appContainer().path("env").toString()).contains("-Djava.io.tmpdir=/tmp");
  }

  @ParameterizedTest
  @MethodSource("renders")
  void noPodGetsServiceLinks(Render render) {
    assertThat(render.workloads())
        .allSatisfy(
            w ->
                assertThat(w.at("/spec/template/spec/enableServiceLinks").asBoolean(true))
                    .as(w.at("/metadata/name").asText())
                    .isFalse());
  }

  @ParameterizedTest
  @MethodSource("renders")
  void settingsFollowTheRuntimesEnvironmentScheme(Render render) {
    assertThat(fieldNames(render.get("ConfigMap", APP).path("data")))
        .allMatch(k -> ENV_NAME.matcher(k).matches(), "PREBUILDS_* or KAFKA_*");
    for (ObjectNode workload : render.ourWorkloads()) {
      if (!workload.at("/metadata/name").asText().startsWith(APP)) {
        continue;
      }
      for (JsonNode container : workload.at("/spec/template/spec/containers")) {
        assertThat(env(container).keySet())
            .allMatch(
                n ->
                    ENV_NAME.matcher(n).matches()
                        || KUBERNETES_ENV.contains(n)
                        || JVM_ENV.contains(n),
                "PREBUILDS_*, KAFKA_*, POD_NAME/POD_NAMESPACE or JAVA_TOOL_OPTIONS");
      }
    }
    assertThat(render.appSetting("KAFKA_PROCESSING_GUARANTEE")).isEqualTo("exactly_once_v2");
    Map<String, JsonNode> env = env(render.appContainer());
    assertThat(env.get("PREBUILDS_ADMIN_TOKEN").at("/valueFrom/secretKeyRef/name").asText())
        .isEqualTo(APP);
    assertThat(env.get("KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/name").asText())
        .isEqualTo(APP);
    if (render.isProd()) {
      assertThat(render.appSetting("KAFKA_SECURITY_PROTOCOL")).isEqualTo("SASL_SSL");
    }
  }

  @ParameterizedTest
  @MethodSource("renders")
  void everyReferencedConfigMapAndSecretExistsOrIsDocumented(Render render) {
    String readme = DeployFiles.read(DeployFiles.path("deploy/README.md"));
    for (ObjectNode workload : render.workloads()) {
      JsonNode pod = workload.at("/spec/template/spec");
      for (JsonNode volume : pod.path("volumes")) {
        if (volume.has("configMap")) {
          ObjectNode configMap = render.get("ConfigMap", volume.at("/configMap/name").asText());
          for (JsonNode item : volume.at("/configMap/items")) {
            assertThat(configMap.path("data").has(item.path("key").asText())).isTrue();
          }
        }
      }
      for (JsonNode container : pod.path("containers")) {
        for (JsonNode from : container.path("envFrom")) {
          if (from.has("configMapRef")) {
            render.get("ConfigMap", from.at("/configMapRef/name").asText());
          }
          if (from.has("secretRef")) {
            render.get("Secret", from.at("/secretRef/name").asText());
          }
        }
        for (JsonNode var : container.path("env")) {
          JsonNode ref = var.at("/valueFrom/secretKeyRef");
          if (ref.isMissingNode()) {
            continue;
          }
          String secret = ref.path("name").asText();
          String key = ref.path("key").asText();
          Optional<ObjectNode> inRender = render.find("Secret", secret);
          if (render.isProd()) {
            assertThat(inRender).as("prod keeps secrets out of git: %s", secret).isEmpty();
            assertThat(readme)
                .as("deploy/README.md explains how to create secret %s with key %s", secret, key)
                .contains("kubectl create secret generic " + secret)
                .contains(key);
          } else if (!ref.path("optional").asBoolean(false)) {
            assertThat(inRender).as("secret %s", secret).isPresent();
            assertThat(inRender.orElseThrow().path("stringData").has(key)).as(key).isTrue();
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("renders")
  void servicesAndTheDisruptionBudgetSelectPodsThatExist(Render render) {
    for (ObjectNode service : render.ofKind("Service")) {
      ObjectNode target = selected(render, service.at("/spec/selector"));
      for (JsonNode port : service.at("/spec/ports")) {
        JsonNode targetPort = port.path("targetPort");
        if (targetPort.isTextual()) {
          JsonNode container = target.at("/spec/template/spec/containers/0");
          assertThat(containerPort(container, targetPort.asText()))
              .as("%s targetPort", service.at("/metadata/name").asText())
              .isPositive();
        }
      }
    }
    for (ObjectNode budget : render.ofKind("PodDisruptionBudget")) {
      assertSelects(budget.at("/spec/selector/matchLabels"), render.app());
    }
    assertThat(render.app().at("/spec/selector/matchLabels"))
        .allSatisfy(v -> assertThat(v.isTextual()).isTrue());
    assertSelects(render.app().at("/spec/selector/matchLabels"), render.app());
  }

  @ParameterizedTest
  @MethodSource("renders")
  void topicsAreProvisionedByAJobWithTheAppsSettings(Render render) {
    ObjectNode job = render.get("Job", "prebuilds-topics");
    JsonNode container = job.at("/spec/template/spec/containers/0");
    assertThat(container.path("command"))
        .extracting(JsonNode::asText)
        .containsExactly("java", "-jar", "/app/prebuilds-streams.jar", "topics", "apply");
    assertThat(container.path("image").asText())
        .isEqualTo(render.appContainer().path("image").asText());
    assertThat(container.at("/envFrom/0/configMapRef/name").asText()).isEqualTo(APP);
    assertThat(job.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("OnFailure");
  }

  @ParameterizedTest
  @MethodSource("renders")
  void overlaysNamePinnedImagesAndANamespace(Render render) {
    for (ObjectNode workload : render.workloads()) {
      for (JsonNode container : workload.at("/spec/template/spec/containers")) {
        String image = container.path("image").asText();
        assertThat(image)
            .as("image of %s", workload.at("/metadata/name").asText())
            .isNotIn(APP, CONNECT)
            .matches(".+:[A-Za-z0-9._-]+")
            .doesNotEndWith(":latest");
      }
    }
    assertThat(render.resources())
        .allSatisfy(r -> assertThat(r.at("/metadata/namespace").asText()).isNotBlank());
    if (render.isProd()) {
      assertThat(render.find("PodMonitor", APP)).isPresent();
      assertThat(render.find("PrometheusRule", APP)).isPresent();
    }
  }

  @ParameterizedTest
  @MethodSource("renders")
  void theConnectWorkerLoadsOurPluginAndTheConnectorReadsCommittedRecordsOnly(Render render)
      throws IOException {
    ObjectNode configMap = render.get("ConfigMap", CONNECT);
    Properties worker = new Properties();
    worker.load(new StringReader(configMap.at("/data/worker.properties").asText()));
    assertThat(worker.getProperty("plugin.path")).isNotBlank();
    assertThat(worker.getProperty("config.providers")).isEqualTo("env");
    assertThat(worker.getProperty("config.providers.env.class"))
        .isEqualTo("org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    assertThat(worker.getProperty("connector.client.config.override.policy")).isEqualTo("All");
    int replication = render.isProd() ? 3 : 1;
    for (String topic : List.of("config", "offset", "status")) {
      assertThat(worker.getProperty(topic + ".storage.replication.factor"))
          .isEqualTo(String.valueOf(replication));
    }
    if (render.isProd()) {
      assertThat(worker.getProperty("security.protocol")).isEqualTo("SASL_SSL");
      assertThat(worker.getProperty("consumer.security.protocol")).isEqualTo("SASL_SSL");
      assertThat(worker.getProperty("producer.security.protocol")).isEqualTo("SASL_SSL");
    }

    String connectorText = configMap.at("/data/prebuilds-postgres-sink.json").asText();
    JsonNode connector = DeployFiles.readJson(connectorText);
    assertThat(connector.path("connector.class").asText()).startsWith("io.prebuilds.connect.");
    assertThat(connector.path("consumer.override.isolation.level").asText())
        .isEqualTo("read_committed");
    assertThat(connector.path("errors.tolerance").asText()).isEqualTo("all");
    assertThat(connector.path("errors.deadletterqueue.topic.name").asText()).isNotBlank();
    assertThat(connector.path("errors.deadletterqueue.topic.replication.factor").asText())
        .isEqualTo(String.valueOf(replication));
    assertThat(connector.path("topics").asText().split(","))
        .containsExactlyInAnyOrder(
            "prebuilds.preset-state.v1",
            "prebuilds.notifications.v1",
            "prebuilds.claim-results.v1");

    ObjectNode deployment = render.get("Deployment", CONNECT);
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    assertThat(mountPath(container, "config")).isPresent();
    Set<String> defined = env(container).keySet();
    Matcher references =
        ENV_REFERENCE.matcher(configMap.at("/data/worker.properties").asText() + connectorText);
    while (references.find()) {
      assertThat(defined)
          .as("${env:%s} is set on the worker", references.group(1))
          .contains(references.group(1));
    }

    JsonNode register =
        render
            .get("Job", "prebuilds-connector-register")
            .at("/spec/template/spec/containers/0/command");
    String service = render.get("Service", CONNECT).at("/metadata/name").asText();
    int port = render.get("Service", CONNECT).at("/spec/ports/0/port").asInt();
    assertThat(register.toString())
        .contains("http://" + service + ":" + port + "/connectors/prebuilds-postgres-sink/config")
        .contains("PUT");
  }

  private static Map<String, JsonNode> env(JsonNode container) {
    Map<String, JsonNode> env = new HashMap<>();
    for (JsonNode var : container.path("env")) {
      assertThat(env.put(var.path("name").asText(), var)).as("duplicate env var").isNull();
    }
    return env;
  }

  private static void assertDefinedBefore(JsonNode container, String first, String then) {
    List<String> names = new ArrayList<>();
    container.path("env").forEach(v -> names.add(v.path("name").asText()));
    assertThat(names.indexOf(first))
        .as("%s must come before %s: $(VAR) only sees earlier variables", first, then)
        .isNotNegative()
        .isLessThan(names.indexOf(then));
  }

  private static JsonNode container(ObjectNode workload, String name) {
    for (JsonNode container : workload.at("/spec/template/spec/containers")) {
      if (container.path("name").asText().equals(name)) {
        return container;
      }
    }
    throw new AssertionError("no container " + name);
  }

  private static int containerPort(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no port named " + name + " on " + container.path("name").asText());
  }

  private static Optional<String> mountPath(JsonNode container, String volume) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("name").asText().equals(volume)) {
        return Optional.of(mount.path("mountPath").asText());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> volumeMountedAt(JsonNode container, String path) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(path)) {
        return Optional.of(mount.path("name").asText());
      }
    }
    return Optional.empty();
  }

  private static JsonNode volume(JsonNode podSpec, String name) {
    for (JsonNode volume : podSpec.path("volumes")) {
      if (volume.path("name").asText().equals(name)) {
        return volume;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  private static void assertSelects(JsonNode selector, ObjectNode workload) {
    JsonNode labels = workload.at("/spec/template/metadata/labels");
    assertThat(selector.isEmpty()).as("empty selector").isFalse();
    for (String key : fieldNames(selector)) {
      assertThat(labels.path(key).asText())
          .as("%s selects %s", key, workload.at("/metadata/name").asText())
          .isEqualTo(selector.path(key).asText());
    }
  }

  private static ObjectNode selected(Render render, JsonNode selector) {
    return render.workloads().stream()
        .filter(
            w -> {
              JsonNode labels = w.at("/spec/template/metadata/labels");
              return fieldNames(selector).stream()
                  .allMatch(k -> labels.path(k).asText().equals(selector.path(k).asText()));
            })
        .findFirst()
        .orElseThrow(() -> new AssertionError("no workload has pod labels " + selector));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static Map<String, JsonNode> byKindAndName(List<ObjectNode> resources) {
    Map<String, JsonNode> map = new TreeMap<>();
    resources.forEach(
        r -> map.put(r.path("kind").asText() + "/" + r.at("/metadata/name").asText(), r));
    return map;
  }

  /** kubectl's own rendering, where kubectl is installed. */
  private static Optional<List<ObjectNode>> kubectlKustomize(Path overlay) {
    Optional<Path> kubectl = DeployFiles.onPath("kubectl");
    if (kubectl.isEmpty()) {
      return Optional.empty();
    }
    try {
      Process process =
          new ProcessBuilder(kubectl.orElseThrow().toString(), "kustomize", overlay.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      process.getOutputStream().close();
      String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new AssertionError("kubectl kustomize " + overlay + " failed");
      }
      return Optional.of(DeployFiles.readYamlDocuments(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theRendererRejectsKustomizeFeaturesItCannotRender(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("kustomization.yaml"), "resources: []\nconfigMapGenerator:\n  - name: x\n");
    assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("configMapGenerator");
  }
}
