package io.prebuilds.schemas.event;

import java.util.List;

/**
 * A resource a claim build's plan replaces, with the attribute paths that force the replacement.
 *
 * @param resource the resource address, e.g. {@code docker_container.workspace[0]}
 * @param paths the attribute paths that changed, e.g. {@code env}
 */
public record Replacement(String resource, List<String> paths) {
  public Replacement {
    paths = List.copyOf(paths);
  }
}
