package io.prebuilds.runtime.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Prometheus text-format sections appended to Micrometer's scrape at {@code /metrics}.
 *
 * <p>It exists for series Micrometer cannot export under their real names: Prometheus' Java client
 * 1.x refuses counters whose name ends in {@code _created_total} (it reserves the OpenMetrics
 * {@code _created} suffix), so Coder's {@code coderd_prebuilt_workspaces_created_total} would be
 * renamed. Sections are rendered on every scrape, in the order they were added; each must be
 * complete families ({@code # HELP}, {@code # TYPE}, samples) whose names Micrometer does not use.
 */
public final class TextExposition {
  private final List<Supplier<String>> sections = new CopyOnWriteArrayList<>();

  /** Adds a section; closing the returned handle removes it (e.g. when the app stops). */
  public AutoCloseable add(Supplier<String> section) {
    sections.add(section);
    return () -> sections.remove(section);
  }

  /** Every section's text, each ending in a newline. */
  public String render() {
    var text = new StringBuilder();
    for (var section : sections) {
      var rendered = section.get();
      text.append(rendered);
      if (!rendered.isEmpty() && !rendered.endsWith("\n")) {
        text.append('\n');
      }
    }
    return text.toString();
  }
}
