package io.prebuilds.topology;

import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * How the admission stage limits prebuild commands (see {@code docs/backpressure.md}).
 *
 * @param budget dispatched prebuild creates and deletes per organization at most; 0 = unlimited
 * @param caps prebuilds (running + in flight) per organization id at most, shared among the
 *     organization's presets; organizations not named are uncapped
 */
public record AdmissionSettings(int budget, Map<String, Integer> caps) {

  /** Ten dispatched commands per organization, no capacity caps. */
  public static final AdmissionSettings DEFAULTS = new AdmissionSettings(10);

  public AdmissionSettings {
    if (budget < 0) {
      throw new IllegalArgumentException(
          "admission budget must be >= 0 (0 = unlimited), got " + budget);
    }
    caps = Map.copyOf(caps);
    caps.forEach(
        (organizationId, cap) -> {
          if (organizationId.isBlank() || cap < 0) {
            throw new IllegalArgumentException(
                "capacity cap of organization '" + organizationId + "' must be >= 0, got " + cap);
          }
        });
  }

  /** A budget and no capacity caps. */
  public AdmissionSettings(int budget) {
    this(budget, Map.of());
  }

  public AdmissionSettings withCaps(Map<String, Integer> value) {
    return new AdmissionSettings(budget, value);
  }

  /** The organization's capacity cap, if it has one. */
  public OptionalInt cap(String organizationId) {
    Integer cap = caps.get(organizationId);
    return cap == null ? OptionalInt.empty() : OptionalInt.of(cap);
  }

  /**
   * Parses {@code prebuilds.capacity.caps}: comma-separated {@code organizationId=cap} entries,
   * e.g. {@code org-a=20,org-b=5}; blank means no caps.
   *
   * @throws IllegalArgumentException naming the malformed entry
   */
  public static Map<String, Integer> parseCaps(String value) {
    Map<String, Integer> caps = new TreeMap<>();
    if (value == null || value.isBlank()) {
      return caps;
    }
    for (String raw : value.split(",", -1)) {
      String entry = raw.strip();
      int split = entry.indexOf('=');
      String organizationId = split < 0 ? "" : entry.substring(0, split).strip();
      String number = split < 0 ? "" : entry.substring(split + 1).strip();
      if (organizationId.isEmpty() || !number.matches("[0-9]{1,9}")) {
        throw new IllegalArgumentException(
            "capacity cap entry '"
                + entry
                + "' is not organizationId=cap with a whole number >= 0 (e.g. org-a=20,org-b=5)");
      }
      if (caps.put(organizationId, Integer.parseInt(number)) != null) {
        throw new IllegalArgumentException(
            "capacity cap of organization '" + organizationId + "' is given twice");
      }
    }
    return caps;
  }
}
