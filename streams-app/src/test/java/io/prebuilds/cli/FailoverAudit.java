package io.prebuilds.cli;

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
