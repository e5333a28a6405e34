package io.prebuilds.reconcile;

import java.util.Objects;

/** A template administrator: the recipient of the preset's notifications. */
public record TemplateAdmin(String userId, String username) {

  public TemplateAdmin {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(username, "username");
  }
}
