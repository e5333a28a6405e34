package io.prebuilds.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.prebuilds.schemas.TopicSpec.KeyKind;
import io.prebuilds.schemas.event.BuildCompleted;
import io.prebuilds.schemas.event.CommandKind;
import io.prebuilds.schemas.event.CommandOutcome;
import io.prebuilds.schemas.event.CommandResult;
import io.prebuilds.schemas.event.DeletePrebuild;
import io.prebuilds.schemas.event.EnsureMembership;
import io.prebuilds.schemas.event.Event;
import io.prebuilds.schemas.event.EventType;
import io.prebuilds.schemas.event.FailureLimitReached;
import io.prebuilds.schemas.event.PresetStatus;
import io.prebuilds.schemas.event.Replacement;
import io.prebuilds.schemas.event.TemplateSnapshot;

class EventRecordsTest {

  private static final Instant NOW = Instant.parse("2025-03-10T09:00:00Z");

  @ParameterizedTest
  @EnumSource(EventType.class)
  void keyMatchesTheTopicKeyKind(EventType type) throws Exception {
    Event event = Examples.envelope(type).data();
    KeyKind kind = Topics.carrying(type).key();
    var data = EventCodecTest.example(type).get("data");

    String expected =
        switch (kind) {
          case TEMPLATE_ID -> data.get("templateId").asText();
          case PRESET_ID -> data.get("presetId").asText();
          case PRESET_ID_OR_ORGANIZATION ->
              data.has("presetId")
                  ? data.get("presetId").asText()
                  : "org:" + data.get("organizationId").asText();
          case CLAIM_ID -> data.get("claimId").asText();
          case NOTIFICATION_ID -> data.get("notificationId").asText();
          case GLOBAL -> "global";
          case ORIGINAL_KEY -> throw new AssertionError("no event type on the DLQ");
        };
    assertThat(event.key()).isEqualTo(expected);
  }

  @Test
  void membershipCommandsAreKeyedByOrganization() {
    EnsureMembership command = new EnsureMembership("c1", "org-1", NOW);

    assertThat(command.key()).isEqualTo("org:org-1");
    assertThat(command.kind()).isEqualTo(CommandKind.ENSURE_MEMBERSHIP);
  }

  @Test
  void commandResultWithoutPresetIsKeyedByOrganization() {
    CommandResult result =
        new CommandResult(
            "c1",
            CommandKind.ENSURE_MEMBERSHIP,
            Optional.empty(),
            Optional.of("org-1"),
            Optional.empty(),
            CommandOutcome.FAILED,
            "organization not found",
            NOW);

    assertThat(result.key()).isEqualTo("org:org-1");
  }

  @Test
  void commandResultNamingNeitherPresetNorOrganizationIsRefused() {
    assertThatThrownBy(
            () ->
                new CommandResult(
                    "c1",
                    CommandKind.DELETE_PREBUILD,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    CommandOutcome.REFUSED,
                    "not owned",
                    NOW))
        .hasMessageContaining("c1");
  }

  @Test
  void listsAreImmutableCopies() {
    List<String> paths = new ArrayList<>(List.of("env"));
    Replacement replacement = new Replacement("docker_container.workspace[0]", paths);

    paths.add("hostname");

    assertThat(replacement.paths()).containsExactly("env");
    assertThatThrownBy(() -> replacement.paths().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void buildNumbersStartAtOne() {
    BuildCompleted example = Examples.data(BuildCompleted.class);

    assertThatThrownBy(
            () ->
                new BuildCompleted(
                    example.presetId(),
                    example.workspaceId(),
                    example.buildId(),
                    0,
                    example.commandId(),
                    example.claimId(),
                    example.templateId(),
                    example.templateVersionId(),
                    example.organizationId(),
                    example.transition(),
                    example.status(),
                    example.failureKind(),
                    example.initiator(),
                    example.completedAt()))
        .hasMessageContaining("buildNumber");
  }

  @Test
  void desiredInstancesAreNeverNegative() {
    assertThatThrownBy(() -> new TemplateSnapshot.Schedule("* 9-18 * * 1-5", -1))
        .hasMessageContaining("desiredInstances");
  }

  @Test
  void failureLimitNotificationNeedsALimitedStatus() {
    FailureLimitReached example = Examples.data(FailureLimitReached.class);

    assertThatThrownBy(
            () ->
                new FailureLimitReached(
                    example.notificationId(),
                    example.presetId(),
                    example.templateId(),
                    example.organizationId(),
                    example.recipients(),
                    example.createdAt(),
                    example.presetName(),
                    example.templateName(),
                    example.templateVersionId(),
                    PresetStatus.NORMAL,
                    3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deleteCommandNamesThePrebuildsSystemUser() {
    assertThat(Examples.data(DeletePrebuild.class).expectedOwner())
        .isEqualTo(DeletePrebuild.PREBUILDS_SYSTEM_USER_ID);
  }

  @Test
  void envelopeTypeMustMatchItsData() {
    BuildCompleted build = Examples.data(BuildCompleted.class);

    assertThatThrownBy(
            () ->
                new Envelope<>(
                    "1.0",
                    "id-1",
                    EventType.AGENT_STATUS_CHANGED.wire(),
                    "/src",
                    NOW,
                    build.key(),
                    Optional.empty(),
                    Optional.empty(),
                    build))
        .hasMessageContaining("prebuilds.build.completed.v1");
  }

  @Test
  void envelopeIdentifiesItsEventBySourceAndId() {
    Envelope<BuildCompleted> envelope =
        Envelope.of("/provisioners/a", "e-1", NOW, Examples.data(BuildCompleted.class));

    assertThat(envelope.eventId()).isEqualTo(new EventId("/provisioners/a", "e-1"));
    assertThatThrownBy(() -> Envelope.of("", "e-1", NOW, envelope.data()))
        .hasMessageContaining("source");
  }
}
