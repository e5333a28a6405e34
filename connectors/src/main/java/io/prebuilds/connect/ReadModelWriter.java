package io.prebuilds.connect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes changes to the read model tables inside the caller's transaction with the idempotent
 * statements of {@link ReadModelSql}, as one JDBC batch per statement. If a batch fails because of
 * the values of some record ({@link SqlFailure#RECORD}), the transaction is rolled back and
 * replayed change by change behind savepoints, so the records the database refuses are singled out
 * and the rest are written.
 */
final class ReadModelWriter {

  /** What a write did. {@code unchanged} counts stale or already-written changes. */
  record Outcome(int changed, int unchanged, List<Refused> refused) {
    Outcome {
      refused = List.copyOf(refused);
    }
  }

  /** A change the database refused because of its values, with the database's reason. */
  record Refused(ReadModelChange change, SQLException reason) {}

  private final ReadModelSql sql;

  ReadModelWriter(ReadModelSql sql) {
    this.sql = sql;
  }

  /**
   * Writes {@code changes} in the connection's current transaction; the caller commits. A failure
   * other than a refused record leaves the transaction to the caller to roll back.
   */
  Outcome write(Connection connection, List<ReadModelChange> changes) throws SQLException {
    try {
      int changed = writeBatches(connection, changes);
      return new Outcome(changed, changes.size() - changed, List.of());
    } catch (SQLException e) {
      if (SqlFailure.classify(e) != SqlFailure.RECORD) {
        throw e;
      }
      connection.rollback();
      return writeOneByOne(connection, changes);
    }
  }

  private int writeBatches(Connection connection, List<ReadModelChange> changes)
      throws SQLException {
    Map<String, PreparedStatement> batches = new LinkedHashMap<>();
    Set<String> counted = new HashSet<>();
    try {
      for (ReadModelChange change : changes) {
        List<String> statements = change.statements(sql);
        counted.add(statements.get(0));
        for (String statement : statements) {
          PreparedStatement batch = batches.get(statement);
          if (batch == null) {
            batch = connection.prepareStatement(statement);
            batches.put(statement, batch);
          }
          change.bind(batch);
          batch.addBatch();
        }
      }
      int changed = 0;
      for (var batch : batches.entrySet()) {
        int[] counts = batch.getValue().executeBatch();
        if (counted.contains(batch.getKey())) {
          for (int count : counts) {
            changed += Math.max(count, 0);
          }
        }
      }
      return changed;
    } finally {
      for (PreparedStatement batch : batches.values()) {
        batch.close();
      }
    }
  }

  private Outcome writeOneByOne(Connection connection, List<ReadModelChange> changes)
      throws SQLException {
    int changed = 0;
    List<Refused> refused = new ArrayList<>();
    for (ReadModelChange change : changes) {
      Savepoint savepoint = connection.setSavepoint();
      try {
        changed += writeOne(connection, change);
        connection.releaseSavepoint(savepoint);
      } catch (SQLException e) {
        if (SqlFailure.classify(e) != SqlFailure.RECORD) {
          throw e;
        }
        connection.rollback(savepoint);
        refused.add(new Refused(change, e));
      }
    }
    return new Outcome(changed, changes.size() - changed - refused.size(), refused);
  }

  /** Applies one change; returns the first statement's update count. */
  private int writeOne(Connection connection, ReadModelChange change) throws SQLException {
    int first = -1;
    for (String statement : change.statements(sql)) {
      try (PreparedStatement single = connection.prepareStatement(statement)) {
        change.bind(single);
        int count = single.executeUpdate();
        if (first < 0) {
          first = count;
        }
      }
    }
    return first;
  }
}
