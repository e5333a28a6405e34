package io.prebuilds.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link CapacityShare}: a table of cases, then properties over seeded random demands. */
class CapacityShareTest {

  @ParameterizedTest(name = "cap {0}, demands {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // fits: everyone gets the demand
        "10 | 3 3 3 | 3 3 3",
        "9  | 3 3 3 | 3 3 3",
        "0  | 0 0   | 0 0",
        // the brief's case: two presets of 5 under a cap of 6
        "6  | 5 5   | 3 3",
        // a third preset appears: 6 shared by three
        "6  | 5 5 5 | 2 2 2",
        // odd seat: equal remainders, the first preset id wins it
        "7  | 5 5   | 4 3",
        // the larger remainder of demand wins the odd seat
        "7  | 4 6   | 3 4",
        // a small demand is never trimmed (plain proportional shares would give it 0)
        "10 | 1 100 | 1 9",
        // rounds: 2 fits 12/3, then 10 is left for two presets
        "12 | 2 8 9 | 2 5 5",
        "12 | 2 5 9 | 2 5 5",
        // a cap of zero gives nothing
        "0  | 4 1   | 0 0",
        // zero demand stays zero
        "3  | 0 5 5 | 0 2 1",
      })
  void table(int cap, String demands, String expected) {
    SortedMap<String, Integer> input = demands(ints(demands));
    assertThat(CapacityShare.allocate(cap, input).values()).containsExactly(box(ints(expected)));
  }

  @Test
  void badInputNamesTheProblem() {
    assertThatThrownBy(() -> CapacityShare.allocate(-1, demands(1)))
        .hasMessageContaining("capacity cap must be >= 0, got -1");
    assertThatThrownBy(() -> CapacityShare.allocate(3, new TreeMap<>(Map.of("p-a", -2))))
        .hasMessageContaining("demand of preset p-a must be >= 0, got -2");
  }

  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void sharesAreBoundedDeterministicAndFair(long seed) {
    Random random = new Random(seed);
    SortedMap<String, Integer> demands = randomDemands(random);
    int total = demands.values().stream().mapToInt(Integer::intValue).sum();
    int cap = random.nextInt(total + 5);
    SortedMap<String, Integer> shares = CapacityShare.allocate(cap, demands);

    assertThat(shares.keySet()).isEqualTo(demands.keySet());
    assertThat(shares.values().stream().mapToInt(Integer::intValue).sum())
        .as("sum is min(cap, total demand)")
        .isEqualTo(Math.min(cap, total));
    long withDemand = demands.values().stream().filter(d -> d > 0).count();
    for (String presetId : demands.keySet()) {
      int demand = demands.get(presetId);
      assertThat(shares.get(presetId)).as("never above demand").isBetween(0, demand);
      if ((long) demand * withDemand <= cap) {
        assertThat(shares.get(presetId)).as("within an equal share: untrimmed").isEqualTo(demand);
      }
    }
    assertThat(CapacityShare.allocate(cap, new TreeMap<>(demands)))
        .as("deterministic")
        .isEqualTo(shares);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void noPresetLosesWhenTheCapGrows(long seed) {
    Random random = new Random(seed);
    SortedMap<String, Integer> demands = randomDemands(random);
    int total = demands.values().stream().mapToInt(Integer::intValue).sum();
    SortedMap<String, Integer> before = CapacityShare.allocate(0, demands);
    for (int cap = 1; cap <= total + 1; cap++) {
      SortedMap<String, Integer> after = CapacityShare.allocate(cap, demands);
      for (String presetId : demands.keySet()) {
        assertThat(after.get(presetId))
            .as("preset %s at cap %d", presetId, cap)
            .isGreaterThanOrEqualTo(before.get(presetId));
      }
      before = after;
    }
  }

  private static SortedMap<String, Integer> randomDemands(Random random) {
    int presets = 1 + random.nextInt(8);
    int[] demands = new int[presets];
    for (int i = 0; i < presets; i++) {
      demands[i] = random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(40);
    }
    return demands(demands);
  }

  private static SortedMap<String, Integer> demands(int... values) {
    SortedMap<String, Integer> demands = new TreeMap<>();
    for (int i = 0; i < values.length; i++) {
      demands.put("p-" + (char) ('a' + i), values[i]);
    }
    return demands;
  }

  private static int[] ints(String spaced) {
    return Arrays.stream(spaced.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
  }

  private static Integer[] box(int... values) {
    return Arrays.stream(values).boxed().toArray(Integer[]::new);
  }
}
