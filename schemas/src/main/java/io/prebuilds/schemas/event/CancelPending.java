package io.prebuilds.schemas.event;

import java.time.Instant;
import java.util.List;

/**
 * Cancel commands not yet carried out (creates that became obsolete, e.g. the version went
 * inactive). A worker that already started one reports its outcome as usual.
 */
public record CancelPending(
    String commandId,
    String presetId,
    String organizationId,
    String templateId,
    Instant issuedAt,
    List<String> commandIds)
    implements Command {

  public CancelPending {
    commandIds = List.copyOf(commandIds);
  }

  @Override
  public String key() {
    return presetId;
  }
}
