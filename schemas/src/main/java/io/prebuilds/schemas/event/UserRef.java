package io.prebuilds.schemas.event;

/** A Coder user as named in template admins and notification recipients. */
public record UserRef(String userId, String username) {}
