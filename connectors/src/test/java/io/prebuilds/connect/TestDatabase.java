package io.prebuilds.connect;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.types.Password;

/** A database of the test PostgreSQL, with the queries the assertions need. */
record TestDatabase(String jdbcUrl) {

  static final String SCHEMA = "prebuilds";

  DatabaseSettings settings(int poolSize) {
    return new DatabaseSettings(jdbcUrl, null, new Password(""), SCHEMA, poolSize, 1_000);
  }

  /** Every row of a query, each as column name → value, in the query's order. */
  List<Map<String, Object>> rows(String sql, Object... parameters) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int columns = result.getMetaData().getColumnCount();
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int c = 1; c <= columns; c++) {
            row.put(result.getMetaData().getColumnLabel(c), result.getObject(c));
          }
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The number of rows of a read model table; 0 while the schema does not exist yet. */
  long count(String table) {
    List<Map<String, Object>> exists =
        rows("SELECT to_regclass(?) IS NOT NULL AS present", SCHEMA + "." + table);
    if (!(Boolean) exists.get(0).get("present")) {
      return 0;
    }
    return (Long) rows("SELECT count(*) AS n FROM " + SCHEMA + "." + table).get(0).get("n");
  }
}
