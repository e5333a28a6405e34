package io.prebuilds.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.prebuilds.cli.FailoverScenario.Written;

/** Checks over the command records a failover left behind. */
final class FailoverAudit {
  private FailoverAudit() {}

  /** Ids that occur more than once in {@code records}. */
  static Set<String> repeatedIds(List<Written> records) {
    var seen = new HashSet<String>();
    return records.stream()
        .map(Written::id)
        .filter(id -> !seen.add(id))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The ids whose occurrences do not all denote the same command, each with the kinds and targets
   * seen; empty when every id means one command.
   */
  static Map<String, Set<String>> meaningsOfRepeatedIds(List<Written> records) {
    Map<String, Set<String>> meanings =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    Written::id,
                    TreeMap::new,
                    Collectors.mapping(Written::meaning, Collectors.toCollection(TreeSet::new))));
    meanings.values().removeIf(seen -> seen.size() == 1);
    return meanings;
  }
}
