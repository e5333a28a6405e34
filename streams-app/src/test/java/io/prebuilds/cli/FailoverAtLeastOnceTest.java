package io.prebuilds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.cli.FailoverScenario.Answer;
import io.prebuilds.cli.FailoverScenario.Outcome;
import io.prebuilds.runtime.config.ProcessingGuarantee;

/**
 * Failover under at-least-once: after a SIGKILL mid-load the survivor reprocesses what the dead
 * instance had not committed, so commands and claim results may be written twice, but a repeated
 * command id always denotes the same command (kind and target) and a repeated claim result the same
 * answer, so workers that dedupe by id do everything once.
 */
class FailoverAtLeastOnceTest {
  private static final Logger log = LoggerFactory.getLogger(FailoverAtLeastOnceTest.class);

  @TempDir Path directory;

  @Test
  void duplicatesMayAppearButCarryTheSameIdsAndMeaning() throws Exception {
    Outcome outcome = new FailoverScenario(ProcessingGuarantee.AT_LEAST_ONCE, directory).run();
    log.atInfo()
        .addKeyValue("committed", outcome.committed().size())
        .addKeyValue("repeatedIds", FailoverAudit.repeatedIds(outcome.committed()).size())
        .addKeyValue("afterKill", outcome.committedAfterKill().size())
        .log("command topic audited");

    assertThat(outcome.all())
        .as("no transactions, nothing aborted")
        .hasSameSizeAs(outcome.committed());
    assertThat(FailoverAudit.meaningsOfRepeatedIds(outcome.committed()))
        .as("ids that denote different commands (kind and target)")
        .isEmpty();
    assertThat(outcome.committedAfterKill()).as("commands the survivor emitted").isNotEmpty();
    assertThat(outcome.deadLetters()).as("dead letters").isZero();

    Map<String, Set<Answer>> answersPerClaim =
        outcome.answers().stream()
            .collect(Collectors.groupingBy(Answer::claimId, TreeMap::new, Collectors.toSet()));
    assertThat(answersPerClaim.keySet()).containsAll(outcome.claims());
    assertThat(answersPerClaim)
        .as("claims answered differently")
        .allSatisfy((claimId, answers) -> assertThat(answers).hasSize(1));
  }
}
