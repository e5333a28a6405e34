package io.prebuilds.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(Infrastructure.Extension.class)
class SharedDatabaseTest {

  @ParameterizedTest(name = "pool of {0} -> {1} writers")
  @CsvSource({"1, 1", "2, 1", "3, 1", "4, 2", "5, 2", "10, 5"})
  void writersAreAtMostHalfThePoolAndAtLeastOne(int poolSize, int writers) {
    assertThat(DatabaseSettings.writerSlots(poolSize)).isEqualTo(writers);
  }

  @Test
  void withAPoolOfFourATransactionWaitsWhileTwoOthersWrite(Infrastructure infrastructure)
      throws Exception {
    TestDatabase database = infrastructure.createDatabase(infrastructure.uniqueName("slots"));
    SharedDatabase shared = SharedDatabase.acquire(database.settings(4));
    ExecutorService writers = Executors.newFixedThreadPool(2);
    var writing = new CountDownLatch(2);
    var finish = new CountDownLatch(1);
    try {
      List<Future<Integer>> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        held.add(
            writers.submit(
                () ->
                    shared.inTransaction(
                        connection -> {
                          writing.countDown();
                          await(finish);
                          return 1;
                        })));
      }
      assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();

      assertThatThrownBy(() -> shared.inTransaction(connection -> 1))
          .isInstanceOf(SQLTransientException.class)
          .hasMessageContaining("2 writers for a pool of 4");

      finish.countDown();
      for (Future<Integer> transaction : held) {
        assertThat(transaction.get(30, TimeUnit.SECONDS)).isEqualTo(1);
      }
      int afterwards = shared.inTransaction(connection -> 1);
      assertThat(afterwards).as("a slot is free again").isEqualTo(1);
      assertThat(shared.peakWriters()).isEqualTo(2);
    } finally {
      finish.countDown();
      writers.shutdownNow();
      shared.release();
    }
  }

  @Test
  void migrationsStartedByFourWorkersAtOnceApplyEachVersionOnce(Infrastructure infrastructure)
      throws Exception {
    TestDatabase database = infrastructure.createDatabase(infrastructure.uniqueName("migrate"));
    var start = new CyclicBarrier(4);
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(
            workers.submit(
                () -> {
                  start.await();
                  return Migrations.apply(database.settings(4));
                }));
      }
      int applied = 0;
      for (Future<Integer> run : runs) {
        applied += run.get(60, TimeUnit.SECONDS);
      }

      assertThat(applied).as("migrations applied over all four workers").isEqualTo(1);
      assertThat(
              database.rows(
                  "SELECT version, count(*) AS times FROM prebuilds.flyway_schema_history"
                      + " WHERE version IS NOT NULL AND success GROUP BY version"))
          .containsExactly(Map.of("version", "1", "times", 1L));
    } finally {
      workers.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
