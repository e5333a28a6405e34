package io.prebuilds.connect;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * What a failed write means for the records in it, read from the SQLSTATE of the first {@link
 * SQLException} in the cause chain (and every {@code getNextException} of a batch).
 */
enum SqlFailure {
  /** PostgreSQL is unreachable, restarting or overloaded: retry the whole batch later. */
  TRANSIENT,
  /** The data of one record cannot be stored (bad text, out of range): that record is poison. */
  RECORD,
  /** The database is not what the sink expects (schema, permissions): stop the task. */
  FATAL;

  /** SQLSTATE classes and codes that say "try again". */
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57");

  private static final Set<String> TRANSIENT_CODES = Set.of("55P03", "58030");

  /** Authentication and a missing database do not heal by retrying. */
  private static final Set<String> FATAL_CLASSES = Set.of("28", "3D");

  /** SQLSTATE classes of errors caused by the values of one statement. */
  private static final Set<String> RECORD_CLASSES = Set.of("22", "23");

  static SqlFailure classify(Throwable failure) {
    String state = null;
    boolean transientType = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      for (SQLException sql = t instanceof SQLException s ? s : null;
          sql != null;
          sql = sql.getNextException()) {
        if (sql.getSQLState() != null) {
          state = sql.getSQLState();
        }
        transientType |=
            sql instanceof SQLTransientException || sql instanceof SQLRecoverableException;
      }
    }
    if (state != null && state.length() == 5) {
      String stateClass = state.substring(0, 2);
      if (FATAL_CLASSES.contains(stateClass)) {
        return FATAL;
      }
      if (TRANSIENT_CLASSES.contains(stateClass) || TRANSIENT_CODES.contains(state)) {
        return TRANSIENT;
      }
      if (RECORD_CLASSES.contains(stateClass)) {
        return RECORD;
      }
    }
    return transientType ? TRANSIENT : FATAL;
  }
}
