package io.prebuilds.drift;

import java.util.List;

/**
 * A resource Terraform will destroy and recreate in a claim build, with the attribute paths that
 * forced it (rendered like {@code root_block_device.0.volume_size}). An empty path list means
 * Terraform gave no reason (e.g. a tainted resource): "reason unavailable".
 */
public record ResourceReplacement(String resource, List<String> paths) {

  public ResourceReplacement {
    paths = List.copyOf(paths);
  }

  public boolean reasonAvailable() {
    return !paths.isEmpty();
  }
}
