package io.prebuilds.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlFailureTest {

  @ParameterizedTest(name = "SQLSTATE {0} -> {1}")
  @CsvSource({
    "08001, TRANSIENT", // cannot connect
    "08006, TRANSIENT", // connection failure mid-transaction
    "57P01, TRANSIENT", // admin shutdown
    "57P03, TRANSIENT", // cannot connect now (starting up)
    "53300, TRANSIENT", // too many connections
    "40001, TRANSIENT", // serialization failure
    "40P01, TRANSIENT", // deadlock
    "22021, RECORD", // NUL byte in text
    "22P05, RECORD", // unsupported escape in jsonb
    "22P02, RECORD", // invalid text representation
    "23502, RECORD", // not null violation
    "28P01, FATAL", // wrong password
    "3D000, FATAL", // database does not exist
    "42P01, FATAL", // table missing: the schema is not what the sink expects
  })
  void readsTheSqlState(String state, SqlFailure expected) {
    assertThat(SqlFailure.classify(new SQLException("boom", state))).isEqualTo(expected);
  }

  @Test
  void aFailedBatchIsJudgedByTheServersReasonInItsNextException() {
    var batch = new BatchUpdateException("batch entry 3 failed", null, new int[0]);
    batch.setNextException(new SQLException("invalid byte sequence", "22021"));

    assertThat(SqlFailure.classify(batch)).isEqualTo(SqlFailure.RECORD);
  }

  @Test
  void aPoolTimeoutWithoutStateIsTransientAndACauseChainIsFollowed() {
    var timeout = new SQLTransientConnectionException("Connection is not available");
    var wrapped = new RuntimeException("migration failed", new SQLException("wrapped", timeout));

    assertThat(SqlFailure.classify(timeout)).isEqualTo(SqlFailure.TRANSIENT);
    assertThat(SqlFailure.classify(wrapped)).isEqualTo(SqlFailure.TRANSIENT);
    assertThat(SqlFailure.classify(new IllegalStateException("no SQL here")))
        .isEqualTo(SqlFailure.FATAL);
  }
}
