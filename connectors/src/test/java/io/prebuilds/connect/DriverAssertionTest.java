package io.prebuilds.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DriverAssertionTest {

  @Test
  void anAssertionRaisedInsidePgjdbcIsAnOutage() {
    AssertionError error = new AssertionError("connection state");
    error.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement("org.postgresql.core.v3.QueryExecutorImpl", "sendSync", null, 1),
          new StackTraceElement("io.prebuilds.connect.ReadModelWriter", "write", null, 2)
        });

    assertThat(PostgresSinkTask.raisedByDriver(error)).isTrue();
  }

  @Test
  void anAssertionRaisedInOurOwnCodeStillFailsTheTask() {
    AssertionError error = new AssertionError("our invariant");
    error.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement("io.prebuilds.connect.ReadModelWriter", "write", null, 2)
        });

    assertThat(PostgresSinkTask.raisedByDriver(error)).isFalse();
  }
}
