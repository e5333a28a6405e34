package io.prebuilds.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builders for preset states in tests: say what the pool looks like, get a valid state. */
final class Fixtures {

  /** Monday 2 June 2025, noon UTC: the instant most tests decide at. */
  static final Instant NOW = Instant.parse("2025-06-02T12:00:00Z");

  static final Trigger TRIGGER = Trigger.event("/test", "event-1");

  static final ReconcileConfig CONFIG = ReconcileConfig.defaults();

  private Fixtures() {}

  static PresetBuilder preset() {
    return new PresetBuilder();
  }

  static StateBuilder state(PresetDefinition definition) {
    return new StateBuilder(definition);
  }

  static StateBuilder state(int desired) {
    return new StateBuilder(preset().desired(desired).build());
  }

  /** Summaries of a decision's actions, grouping creates and same-reason deletes like Coder. */
  static List<String> summary(Decision decision) {
    List<String> out = new ArrayList<>();
    List<Action> actions = decision.actions();
    int i = 0;
    while (i < actions.size()) {
      Action action = actions.get(i);
      if (action instanceof Action.CreatePrebuild) {
        int n = 0;
        while (i < actions.size() && actions.get(i) instanceof Action.CreatePrebuild) {
          n++;
          i++;
        }
        out.add("create " + n);
      } else if (action instanceof Action.DeletePrebuild delete) {
        List<String> ids = new ArrayList<>();
        while (i < actions.size()
            && actions.get(i) instanceof Action.DeletePrebuild d
            && d.deleteReason() == delete.deleteReason()) {
          ids.add(d.workspaceId());
          i++;
        }
        out.add("delete " + delete.deleteReason().wireName() + " " + ids);
      } else {
        if (action instanceof Action.CancelPending c) {
          out.add("cancel " + c.createCommandIds().size());
        } else if (action instanceof Action.BackoffUntil b) {
          out.add("backoff " + b.until());
        } else if (action instanceof Action.StatusChange c) {
          out.add("status " + c.to().wireName());
        } else if (action instanceof Action.Notify n) {
          out.add("notify " + n.status().wireName());
        }
        i++;
      }
    }
    return out;
  }

  /** The Coder state columns of a decision: A, D, E, X, Exp, St, Sp, Dl (zeros left out). */
  static String coderState(Diagnostics d) {
    StringBuilder s = new StringBuilder();
    append(s, "A", d.actual());
    append(s, "D", d.desired());
    append(s, "E", d.eligible());
    append(s, "X", d.extraneous());
    append(s, "Exp", d.expired());
    append(s, "St", d.starting());
    append(s, "Sp", d.stopping());
    append(s, "Dl", d.deleting());
    return s.toString().trim();
  }

  private static void append(StringBuilder s, String name, int value) {
    if (value != 0) {
      s.append(name).append('=').append(value).append(' ');
    }
  }

  /** A mutable builder of one preset's state. */
  static final class StateBuilder {
    private PresetDefinition definition;
    private final List<Prebuild> prebuilds = new ArrayList<>();
    private final List<InFlightCommand> commands = new ArrayList<>();
    private final List<CreateAttempt> attempts = new ArrayList<>();
    private PresetStatus status = PresetStatus.NORMAL;
    private boolean notified;
    private boolean paused;
    private Instant invalidatedAt;
    private int next;

    StateBuilder(PresetDefinition definition) {
      this.definition = definition;
    }

    /** A running prebuild created at {@code createdAt}, agents ready or not. */
    StateBuilder running(String id, Instant createdAt, boolean ready) {
      prebuilds.add(
          new Prebuild(
              id,
              "name-" + id,
              1,
              createdAt,
              BuildTransition.START,
              BuildStatus.SUCCEEDED,
              definition.templateVersionId(),
              ready,
              null,
              createdAt,
              createdAt));
      return this;
    }

    /** {@code n} running prebuilds created at {@code createdAt}, ids {@code r0, r1, ...}. */
    StateBuilder running(int n, Instant createdAt, boolean ready) {
      for (int i = 0; i < n; i++) {
        running("r" + next++, createdAt, ready);
      }
      return this;
    }

    StateBuilder prebuild(
        String id, Instant createdAt, BuildTransition transition, BuildStatus status) {
      prebuilds.add(
          new Prebuild(
              id,
              "name-" + id,
              transition == BuildTransition.START ? 1 : 2,
              createdAt,
              transition,
              status,
              definition.templateVersionId(),
              false,
              null,
              createdAt,
              null));
      return this;
    }

    /** {@code n} prebuilds whose latest build ({@code transition}) is in progress. */
    StateBuilder inProgress(BuildTransition transition, int n) {
      for (int i = 0; i < n; i++) {
        prebuild("p" + next++, NOW.minusSeconds(60), transition, BuildStatus.RUNNING);
      }
      return this;
    }

    StateBuilder claimed(String id, Instant createdAt) {
      running(id, createdAt, true);
      Prebuild p = prebuilds.remove(prebuilds.size() - 1);
      prebuilds.add(p.withClaim(new Claim("claim-" + id, "user-1", "user", createdAt)));
      return this;
    }

    /** {@code n} creates issued at {@code issuedAt} whose workspace we have not heard of. */
    StateBuilder creating(int n, Instant issuedAt) {
      for (int i = 0; i < n; i++) {
        int k = next++;
        commands.add(new InFlightCommand("create-" + k, CommandKind.CREATE, "new-" + k, issuedAt));
      }
      return this;
    }

    /** {@code n} creates issued at {@code issuedAt} that the admission stage still holds. */
    StateBuilder queued(int n, Instant issuedAt) {
      for (int i = 0; i < n; i++) {
        int k = next++;
        commands.add(
            new InFlightCommand(
                "create-" + k, CommandKind.CREATE, "new-" + k, issuedAt, true, null));
      }
      return this;
    }

    StateBuilder deleting(String workspaceId, Instant issuedAt) {
      commands.add(
          new InFlightCommand("delete-" + workspaceId, CommandKind.DELETE, workspaceId, issuedAt));
      return this;
    }

    StateBuilder attempt(Instant completedAt, CreateAttempt.Result result) {
      attempts.add(new CreateAttempt("a" + next++, completedAt, result));
      return this;
    }

    StateBuilder status(PresetStatus value, boolean alreadyNotified) {
      status = value;
      notified = alreadyNotified;
      return this;
    }

    StateBuilder paused() {
      paused = true;
      return this;
    }

    StateBuilder invalidatedAt(Instant at) {
      invalidatedAt = at;
      return this;
    }

    PresetState build() {
      attempts.sort(
          java.util.Comparator.comparing(CreateAttempt::completedAt)
              .thenComparing(CreateAttempt::workspaceId));
      return new PresetState(
          definition,
          prebuilds,
          commands,
          attempts,
          status,
          notified,
          paused,
          invalidatedAt,
          PresetCounters.ZERO,
          null,
          List.of());
    }
  }

  /** A mutable builder of preset definitions: an active preset of desired 1 unless told. */
  static final class PresetBuilder {
    private String presetId = "preset-1";
    private String versionId = "version-1";
    private boolean active = true;
    private boolean deleted;
    private boolean deprecated;
    private int desired = 1;
    private final List<PrebuildSchedule> schedules = new ArrayList<>();
    private String timezone = "";
    private Duration ttl = Duration.ZERO;
    private Instant lastInvalidatedAt;
    private LifecycleDefaults lifecycle = LifecycleDefaults.NONE;

    PresetBuilder id(String value) {
      presetId = value;
      return this;
    }

    PresetBuilder version(String value) {
      versionId = value;
      return this;
    }

    PresetBuilder inactive() {
      active = false;
      return this;
    }

    PresetBuilder deleted() {
      deleted = true;
      return this;
    }

    PresetBuilder deprecated() {
      deprecated = true;
      return this;
    }

    PresetBuilder desired(int value) {
      desired = value;
      return this;
    }

    PresetBuilder schedule(String cron, int instances) {
      schedules.add(new PrebuildSchedule(cron, instances));
      return this;
    }

    PresetBuilder timezone(String value) {
      timezone = value;
      return this;
    }

    PresetBuilder ttl(Duration value) {
      ttl = value;
      return this;
    }

    PresetBuilder lastInvalidatedAt(Instant value) {
      lastInvalidatedAt = value;
      return this;
    }

    PresetBuilder lifecycle(LifecycleDefaults value) {
      lifecycle = value;
      return this;
    }

    PresetDefinition build() {
      return new PresetDefinition(
          presetId,
          "preset " + presetId,
          "template-1",
          "template",
          versionId,
          "org-1",
          "org",
          active,
          deleted,
          deprecated,
          desired,
          schedules,
          timezone,
          ttl,
          lastInvalidatedAt,
          lifecycle,
          List.of(new TemplateAdmin("admin-1", "alice")));
    }
  }
}
