package io.prebuilds.runtime.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import io.prebuilds.metrics.MetricCatalogue;
import io.prebuilds.schemas.event.PresetSnapshot;
import io.prebuilds.schemas.event.PresetStatus;
import io.prebuilds.topology.StoredPreset;

/**
 * Coder's {@code coderd_prebuilt_workspaces_*} series and {@code prebuilds_preset_quarantined},
 * written in the Prometheus text format from the presets this instance owns.
 *
 * <p>A pure function of the stored presets, as Coder's collector is of its snapshot. Follows Coder:
 * counters for every preset, {@code desired}, {@code running} and {@code eligible} only for active
 * presets, {@code preset_hard_limited} and {@code preset_validation_failed} present (value 1) only
 * while an active preset has that status. Presets of several template versions with the same names
 * share one series (labels are names, not ids): counters and counts are summed, flags are 1 if any
 * preset has them, so a scrape never holds a duplicate series.
 */
public final class PresetSeries {

  private PresetSeries() {}

  /**
   * The exposition text.
   *
   * @param presets the defined presets of this instance's active tasks, or null when the store
   *     could not be read (then only the unlabelled series are written)
   * @param paused whether reconciliation is paused by the global setting
   * @param lastUpdated when the presets were read; null if never
   */
  public static String render(
      Collection<StoredPreset> presets, boolean paused, Instant lastUpdated) {
    var groups = group(presets == null ? List.of() : presets);
    var text = new StringBuilder();
    counter(text, MetricCatalogue.CREATED_TOTAL, groups, g -> g.created);
    counter(text, MetricCatalogue.FAILED_TOTAL, groups, g -> g.failed);
    counter(text, MetricCatalogue.CLAIMED_TOTAL, groups, g -> g.claimed);
    counter(text, MetricCatalogue.RESOURCE_REPLACEMENTS_TOTAL, groups, g -> g.replacements);
    gauge(text, MetricCatalogue.DESIRED, groups, g -> g.desired);
    gauge(text, MetricCatalogue.RUNNING, groups, g -> g.running);
    gauge(text, MetricCatalogue.ELIGIBLE, groups, g -> g.eligible);
    flag(text, MetricCatalogue.PRESET_HARD_LIMITED, groups, g -> g.hardLimited);
    flag(text, MetricCatalogue.PRESET_VALIDATION_FAILED, groups, g -> g.validationFailed);
    flag(text, MetricCatalogue.PRESET_QUARANTINED, groups, g -> g.quarantined);
    header(text, MetricCatalogue.RECONCILIATION_PAUSED);
    text.append(MetricCatalogue.RECONCILIATION_PAUSED.name())
        .append(' ')
        .append(paused ? 1 : 0)
        .append('\n');
    header(text, MetricCatalogue.METRICS_LAST_UPDATED);
    text.append(MetricCatalogue.METRICS_LAST_UPDATED.name())
        .append(' ')
        .append(lastUpdated == null ? "0" : seconds(lastUpdated))
        .append('\n');
    return text.toString();
  }

  /** The presets sharing one label set. */
  private static final class Group {
    final String labels;
    long created;
    long failed;
    long claimed;
    long replacements;
    long desired;
    long running;
    long eligible;
    boolean active;
    boolean hardLimited;
    boolean validationFailed;
    boolean quarantined;

    Group(String labels) {
      this.labels = labels;
    }
  }

  private static Map<String, Group> group(Collection<StoredPreset> presets) {
    var groups = new TreeMap<String, Group>();
    for (var stored : presets) {
      PresetSnapshot snapshot = stored.snapshot();
      if (snapshot == null) {
        continue;
      }
      var labels =
          labels(snapshot.organizationName(), snapshot.templateName(), snapshot.presetName());
      var group = groups.computeIfAbsent(labels, Group::new);
      var counters = snapshot.counters();
      group.created += counters.createdTotal();
      group.failed += counters.failedTotal();
      group.claimed += counters.claimedTotal();
      group.replacements += counters.resourceReplacementsTotal();
      group.quarantined |= stored.quarantine() != null;
      if (snapshot.active()) {
        group.active = true;
        group.desired += snapshot.desired();
        group.running += snapshot.running();
        group.eligible += snapshot.eligible();
        group.hardLimited |= snapshot.status() == PresetStatus.HARD_LIMITED;
        group.validationFailed |= snapshot.status() == PresetStatus.VALIDATION_FAILED;
      }
    }
    return groups;
  }

  private static void counter(
      StringBuilder text,
      MetricCatalogue.Metric metric,
      Map<String, Group> groups,
      ToLongFunction<Group> value) {
    header(text, metric);
    for (var group : groups.values()) {
      sample(text, metric, group.labels, value.applyAsLong(group));
    }
  }

  private static void gauge(
      StringBuilder text,
      MetricCatalogue.Metric metric,
      Map<String, Group> groups,
      ToLongFunction<Group> value) {
    header(text, metric);
    for (var group : groups.values()) {
      if (group.active) {
        sample(text, metric, group.labels, value.applyAsLong(group));
      }
    }
  }

  private static void flag(
      StringBuilder text,
      MetricCatalogue.Metric metric,
      Map<String, Group> groups,
      Predicate<Group> set) {
    header(text, metric);
    for (var group : groups.values()) {
      if (set.test(group)) {
        sample(text, metric, group.labels, 1);
      }
    }
  }

  private static void header(StringBuilder text, MetricCatalogue.Metric metric) {
    text.append("# HELP ")
        .append(metric.name())
        .append(' ')
        .append(escapeHelp(metric.help()))
        .append('\n')
        .append("# TYPE ")
        .append(metric.name())
        .append(' ')
        .append(metric.type().name().toLowerCase(Locale.ROOT))
        .append('\n');
  }

  private static void sample(
      StringBuilder text, MetricCatalogue.Metric metric, String labels, long value) {
    text.append(metric.name()).append(labels).append(' ').append(value).append('\n');
  }

  /** {@code {organization_name="...",template_name="...",preset_name="..."}}, escaped. */
  static String labels(String organizationName, String templateName, String presetName) {
    var pairs = new ArrayList<String>();
    var values = List.of(organizationName, templateName, presetName);
    for (int i = 0; i < MetricCatalogue.PRESET_LABELS.size(); i++) {
      pairs.add(MetricCatalogue.PRESET_LABELS.get(i) + "=\"" + escapeLabel(values.get(i)) + "\"");
    }
    return "{" + String.join(",", pairs) + "}";
  }

  private static String escapeLabel(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String seconds(Instant instant) {
    return String.valueOf(instant.getEpochSecond());
  }
}
