package io.prebuilds.schemas.event;

import java.time.Instant;

/**
 * Make the prebuilds system user a member of the organization (needed before it can own workspaces
 * there). Sent once per organization and again only after a reported failure; keyed {@code
 * org:<organizationId>}.
 */
public record EnsureMembership(String commandId, String organizationId, Instant issuedAt)
    implements Command {

  @Override
  public String key() {
    return Keys.organization(organizationId);
  }
}
