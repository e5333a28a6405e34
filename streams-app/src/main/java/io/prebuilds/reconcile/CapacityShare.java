package io.prebuilds.reconcile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Shares an organization's capacity cap among its presets' demands (desired counts), the same way
 * for the same input on every instance and after every restart.
 *
 * <p>The rule is max-min fair, in whole prebuilds:
 *
 * <ol>
 *   <li>If the demands fit under the cap, every preset gets its demand.
 *   <li>Otherwise the cap is shared in rounds: every preset whose demand is at most an equal share
 *       of what is left ({@code left / presets still sharing}) gets its whole demand, and the next
 *       round shares what is left among the others.
 *   <li>When no preset fits any more, each remaining preset gets {@code floor(left / n)}; the
 *       {@code left mod n} seats over go one each to the largest remainders of demand, ties broken
 *       by preset id.
 * </ol>
 *
 * <p>Why not plain proportional shares (Hamilton's method): a preset asking for 1 next to one
 * asking for 100 under a cap of 10 would get nothing. Max-min fairness guarantees that a preset
 * asking for no more than an equal share ({@code cap / presets with a demand}) is never trimmed,
 * and no preset's allowance shrinks when the cap grows (no Alabama paradox).
 */
public final class CapacityShare {

  private CapacityShare() {}

  /**
   * The allowance of each preset: never above its demand, summing to {@code min(cap, total
   * demand)}.
   *
   * @param cap the organization's cap, at least 0
   * @param demands desired count per preset id, each at least 0
   * @return the allowance per preset id, for every preset in {@code demands}
   */
  public static SortedMap<String, Integer> allocate(int cap, SortedMap<String, Integer> demands) {
    if (cap < 0) {
      throw new IllegalArgumentException("capacity cap must be >= 0, got " + cap);
    }
    SortedMap<String, Integer> allowances = new TreeMap<>();
    List<String> sharing = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, Integer> demand : demands.entrySet()) {
      int wanted = Objects.requireNonNull(demand.getValue(), demand.getKey());
      if (wanted < 0) {
        throw new IllegalArgumentException(
            "demand of preset " + demand.getKey() + " must be >= 0, got " + wanted);
      }
      allowances.put(demand.getKey(), wanted);
      sharing.add(demand.getKey());
      total += wanted;
    }
    if (total <= cap) {
      return allowances;
    }
    long left = cap;
    boolean settled = true;
    while (settled && !sharing.isEmpty()) {
      settled = false;
      List<String> still = new ArrayList<>(sharing.size());
      long given = 0;
      for (String presetId : sharing) {
        long wanted = allowances.get(presetId);
        if (wanted * sharing.size() <= left) {
          given += wanted;
          settled = true;
        } else {
          still.add(presetId);
        }
      }
      left -= given;
      sharing = still;
    }
    int share = (int) (left / Math.max(sharing.size(), 1));
    int over = (int) (left - (long) share * sharing.size());
    List<String> byRemainder = new ArrayList<>(sharing);
    byRemainder.sort(
        Comparator.comparing((String id) -> demands.get(id) - share)
            .reversed()
            .thenComparing(Comparator.naturalOrder()));
    for (int i = 0; i < byRemainder.size(); i++) {
      allowances.put(byRemainder.get(i), share + (i < over ? 1 : 0));
    }
    return allowances;
  }
}
