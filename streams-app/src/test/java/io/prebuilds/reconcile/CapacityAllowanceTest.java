package io.prebuilds.reconcile;

import static io.prebuilds.reconcile.Fixtures.CONFIG;
import static io.prebuilds.reconcile.Fixtures.NOW;
import static io.prebuilds.reconcile.Fixtures.TRIGGER;
import static io.prebuilds.reconcile.Fixtures.preset;
import static io.prebuilds.reconcile.Fixtures.state;
import static io.prebuilds.reconcile.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.LongStream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.prebuilds.schemas.StateSerde;

/**
 * A preset's share of its organization's capacity cap acts as a lowered desired count: creates up
 * to it, queued creates and running prebuilds above it go, and the explanation says why.
 */
class CapacityAllowanceTest {

  private static Decision decide(PresetState state) {
    return Reconciler.decide(state, TRIGGER, NOW, CONFIG);
  }

  @Test
  void createsStopAtTheAllowanceAndTheExplanationSaysWhy() {
    PresetState state = state(5).build().withAllowance(new Allowance(3, 6, 2));
    Decision decision = decide(state);
    assertThat(summary(decision)).containsExactly("create 3");
    assertThat(decision.diagnostics().desired()).isEqualTo(3);
    assertThat(decision.diagnostics().explanation())
        .contains("desired 5 trimmed to 3: organization cap 6 shared by 2 presets");
  }

  @Test
  void anAllowanceAboveDesiredChangesNothing() {
    PresetState uncapped = state(2).running(1, NOW, true).build();
    Decision capped = decide(uncapped.withAllowance(new Allowance(4, 10, 3)));
    assertThat(capped).isEqualTo(decide(uncapped));
  }

  @Test
  void runningPrebuildsAboveALowerAllowanceAreExtraneousOldestFirst() {
    PresetState state =
        state(3)
            .running("oldest", NOW.minusSeconds(300), true)
            .running("middle", NOW.minusSeconds(200), true)
            .running("newest", NOW.minusSeconds(100), true)
            .build()
            .withAllowance(new Allowance(2, 6, 3));
    Decision decision = decide(state);
    assertThat(summary(decision)).containsExactly("delete extraneous [oldest]");
    assertThat(decision.diagnostics().extraneous()).isEqualTo(1);
  }

  @Test
  void queuedCreatesAboveALowerAllowanceAreWithdrawn() {
    PresetState state =
        state(5).queued(4, NOW.minusSeconds(5)).build().withAllowance(new Allowance(2, 6, 3));
    assertThat(summary(decide(state))).containsExactly("cancel 2");
  }

  @Test
  void anAllowanceOfZeroCreatesNothing() {
    PresetState state = state(2).build().withAllowance(new Allowance(0, 0, 1));
    Decision decision = decide(state);
    assertThat(decision.actions()).isEmpty();
    assertThat(decision.diagnostics().explanation())
        .contains("desired 2 trimmed to 0: organization cap 0 shared by 1 preset");
  }

  @Test
  void anInactivePresetIgnoresItsAllowance() {
    PresetState state =
        state(preset().inactive().build())
            .running("left", NOW, true)
            .build()
            .withAllowance(new Allowance(0, 4, 2));
    Decision decision = decide(state);
    assertThat(summary(decision)).containsExactly("delete outdated [left]");
    assertThat(decision.diagnostics().explanation()).noneMatch(line -> line.contains("trimmed"));
  }

  /**
   * How releases before caps wrote state bodies: JSON, RFC 3339 times, absent optionals left out.
   */
  private static final ObjectMapper EARLIER_RELEASE =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .serializationInclusion(JsonInclude.Include.NON_ABSENT)
          .build();

  @Test
  void aStateStoredBeforeCapsReadsAsUncappedAndTheAllowanceRoundTrips() throws Exception {
    Serde<PresetState> serde = StateSerde.builder(PresetState.class, 1).build();
    PresetState capped = state(5).build().withAllowance(new Allowance(3, 6, 2));
    byte[] bytes = serde.serializer().serialize("t", capped);
    assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(capped);

    ObjectNode json = EARLIER_RELEASE.valueToTree(capped);
    assertThat(json.remove("allowance")).isNotNull();
    byte[] before = EARLIER_RELEASE.writeValueAsBytes(json);
    byte[] old = new byte[before.length + 1];
    old[0] = bytes[0];
    System.arraycopy(before, 0, old, 1, before.length);
    assertThat(serde.deserializer().deserialize("t", old).allowance()).isNull();
  }

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void neverAimsAboveTheAllowance(long seed) {
    Random random = new Random(seed);
    PresetState state = RandomStates.state(random, NOW);
    int allowance = random.nextInt(4);
    Decision decision = decide(state.withAllowance(new Allowance(allowance, 8, 3)));
    Diagnostics d = decision.diagnostics();
    int creates = decision.actionsOf(Action.CreatePrebuild.class).size();
    int kept = d.actual() - d.expired() - d.extraneous();
    if (state.definition().isActive()) {
      assertThat(d.desired()).isLessThanOrEqualTo(allowance);
      assertThat(creates).isLessThanOrEqualTo(Math.max(allowance - kept - d.starting(), 0));
    }
  }
}
