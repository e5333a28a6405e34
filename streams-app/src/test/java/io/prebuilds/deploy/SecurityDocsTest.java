package io.prebuilds.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md and the images grant and run what the manifests configure: the ACLs name the
 * app's application id (consumer group, internal-topic and transactional-id prefixes) and the
 * Connect groups, and the images' users match the pods' runAsUser.
 */
class SecurityDocsTest {

  private static final List<ObjectNode> BASE =
      Kustomize.render(DeployFiles.path("deploy/k8s/base"));
  private static final String SECURITY = DeployFiles.read(DeployFiles.path("docs/security.md"));

  @Test
  void aclsFollowTheApplicationId() {
    String applicationId =
        Kustomize.find(BASE, "ConfigMap", "prebuilds-streams")
            .at("/data/KAFKA_APPLICATION_ID")
            .asText();
    assertThat(SECURITY)
        .contains("--group " + applicationId)
        .contains("--resource-pattern-type prefixed --transactional-id " + applicationId)
        .contains("--resource-pattern-type prefixed --topic " + applicationId + "-")
        .contains("User:prebuilds-streams")
        .contains("User:prebuilds-topics");
  }

  @Test
  void aclsCoverConnectsWorkerGroupTopicsAndTheSinksConsumerGroup() throws IOException {
    Properties worker = new Properties();
    worker.load(
        new StringReader(
            Kustomize.find(BASE, "ConfigMap", "prebuilds-connect")
                .at("/data/worker.properties")
                .asText()));
    assertThat(SECURITY).contains("--group " + worker.getProperty("group.id"));
    for (String topic : List.of("config", "offset", "status")) {
      assertThat(worker.getProperty(topic + ".storage.topic")).startsWith("prebuilds-connect-");
    }
    String register =
        Kustomize.find(BASE, "Job", "prebuilds-connector-register")
            .at("/spec/template/spec/containers/0/command")
            .toString();
    String connector = register.replaceAll(".*/connectors/([^/]+)/config.*", "$1");
    assertThat(SECURITY).contains("--group connect-" + connector);
  }

  @Test
  void imagesRunAsTheUsersThePodsExpect() {
    String app = DeployFiles.read(DeployFiles.path("deploy/docker/app.Dockerfile"));
    ObjectNode statefulSet = Kustomize.find(BASE, "StatefulSet", "prebuilds-streams");
    int uid = statefulSet.at("/spec/template/spec/securityContext/runAsUser").asInt();
    assertThat(app).contains("USER " + uid + ":").contains("/app/prebuilds-streams.jar");
    String jar = statefulSet.at("/spec/template/spec/containers/0/command/2").asText();
    assertThat(app).contains("COPY ${APP_JAR} " + jar);

    String connect = DeployFiles.read(DeployFiles.path("deploy/docker/connect.Dockerfile"));
    assertThat(connect)
        .contains("FROM apache/kafka:4.3.1")
        .contains("/opt/prebuilds/connect-plugins");
  }
}
