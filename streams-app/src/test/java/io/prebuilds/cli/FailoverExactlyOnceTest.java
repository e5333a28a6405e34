package io.prebuilds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prebuilds.cli.FailoverScenario.Answer;
import io.prebuilds.cli.FailoverScenario.Outcome;
import io.prebuilds.cli.FailoverScenario.Written;
import io.prebuilds.runtime.config.ProcessingGuarantee;

/**
 * Failover under exactly-once: an instance killed with SIGKILL mid-load leaves only aborted
 * transactions behind; the survivor redoes that work with the same command ids. Audited on the
 * command topic: committed ids are unique, and every occurrence of an id, aborted or committed, is
 * the same command (kind and target). Every claim is answered exactly once, nothing lands in the
 * dead-letter topic, and the child ignored the Kubernetes-style variables it was given.
 */
class FailoverExactlyOnceTest {
  private static final Logger log = LoggerFactory.getLogger(FailoverExactlyOnceTest.class);

  @TempDir Path directory;

  @Test
  void theSurvivorTakesOverAndEveryCommandIdIsCommittedOnceAsOneCommand() throws Exception {
    Outcome outcome = new FailoverScenario(ProcessingGuarantee.EXACTLY_ONCE_V2, directory).run();
    var aborted = outcome.aborted();
    var abortedIds = aborted.stream().map(Written::id).collect(Collectors.toSet());
    var redone = outcome.committed().stream().filter(w -> abortedIds.contains(w.id())).toList();
    log.atInfo()
        .addKeyValue("committed", outcome.committed().size())
        .addKeyValue("aborted", aborted.size())
        .addKeyValue("abortedThenCommitted", redone.size())
        .addKeyValue("afterKill", outcome.committedAfterKill().size())
        .log("command topic audited");

    assertThat(aborted).as("commands of the transaction the child died in").isNotEmpty();
    assertThat(redone).as("aborted commands the survivor issued again").isNotEmpty();

    assertThat(FailoverAudit.repeatedIds(outcome.committed()))
        .as("command ids committed more than once")
        .isEmpty();
    assertThat(FailoverAudit.meaningsOfRepeatedIds(outcome.all()))
        .as("ids that denote different commands (kind and target)")
        .isEmpty();
    assertThat(outcome.committedAfterKill()).as("commands the survivor emitted").isNotEmpty();
    assertThat(outcome.deadLetters()).as("dead letters").isZero();

    Map<String, Long> answersPerClaim =
        outcome.answers().stream()
            .collect(Collectors.groupingBy(Answer::claimId, TreeMap::new, Collectors.counting()));
    assertThat(answersPerClaim.keySet()).containsAll(outcome.claims());
    assertThat(answersPerClaim).allSatisfy((claimId, answers) -> assertThat(answers).isOne());

    assertThat(outcome.childOutput())
        .contains("prebuilds-streams is running")
        .contains("ignoring environment variable")
        .contains("KAFKA_PORT")
        .contains("KAFKA_SERVICE_HOST");
  }
}
