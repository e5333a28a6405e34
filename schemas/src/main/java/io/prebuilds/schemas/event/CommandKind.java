package io.prebuilds.schemas.event;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of {@link Command}, as named in {@link CommandResult#commandKind()}. */
public enum CommandKind {
  CREATE_PREBUILD("create-prebuild", CreatePrebuild.class),
  DELETE_PREBUILD("delete-prebuild", DeletePrebuild.class),
  CANCEL_PENDING("cancel-pending", CancelPending.class),
  CLAIM_WORKSPACE("claim-workspace", ClaimWorkspace.class),
  REINITIALIZE_AGENT("reinitialize-agent", ReinitializeAgent.class),
  ENSURE_MEMBERSHIP("ensure-membership", EnsureMembership.class);

  private final String wire;
  private final Class<? extends Command> commandClass;

  CommandKind(String wire, Class<? extends Command> commandClass) {
    this.wire = wire;
    this.commandClass = commandClass;
  }

  /** The JSON spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }

  static CommandKind of(Command command) {
    return Arrays.stream(values())
        .filter(kind -> kind.commandClass == command.getClass())
        .findFirst()
        .orElseThrow();
  }
}
