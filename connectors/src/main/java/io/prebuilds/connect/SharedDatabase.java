package io.prebuilds.connect;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read model database as the tasks of one worker share it: one HikariCP pool per distinct
 * {@link DatabaseSettings}, reference-counted by the tasks using it, with at most {@link
 * DatabaseSettings#writerSlots} transactions writing at once, so the rest of the pool stays free
 * for other users (as Coder bounds its reconciler to half of its pool). The schema is migrated
 * once, before the first write; PostgreSQL being down at start-up is not an error, the first write
 * just fails as a transient failure and is retried.
 */
final class SharedDatabase {

  private static final Logger log = LoggerFactory.getLogger(SharedDatabase.class);
  private static final Map<DatabaseSettings, SharedDatabase> OPEN = new HashMap<>();
  private static final String APPLICATION_NAME = "prebuilds-postgres-sink";

  /** One transaction's work; the connection is in manual-commit mode. */
  interface Transaction<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DatabaseSettings settings;
  private final HikariDataSource pool;
  private final Semaphore writers;
  private final AtomicInteger activeWriters = new AtomicInteger();
  private final AtomicInteger peakWriters = new AtomicInteger();
  private final Object migrationLock = new Object();
  private volatile boolean migrated;
  private int users;

  private SharedDatabase(DatabaseSettings settings) {
    this.settings = settings;
    this.writers = new Semaphore(DatabaseSettings.writerSlots(settings.poolSize()), true);
    var config = new HikariConfig();
    config.setPoolName(APPLICATION_NAME + "-" + settings.schema());
    config.setDriverClassName("org.postgresql.Driver");
    config.setJdbcUrl(settings.jdbcUrl());
    if (settings.user() != null && !settings.user().isEmpty()) {
      config.setUsername(settings.user());
    }
    if (!settings.password().value().isEmpty()) {
      config.setPassword(settings.password().value());
    }
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(0);
    config.setConnectionTimeout(settings.connectionTimeoutMs());
    config.setInitializationFailTimeout(-1);
    config.setAutoCommit(false);
    config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
    this.pool = new HikariDataSource(config);
  }

  /** The shared database for these settings; pair every call with {@link #release()}. */
  static SharedDatabase acquire(DatabaseSettings settings) {
    synchronized (OPEN) {
      SharedDatabase database = OPEN.computeIfAbsent(settings, SharedDatabase::new);
      database.users++;
      return database;
    }
  }

  /** Closes the pool when its last task lets go of it. */
  void release() {
    synchronized (OPEN) {
      users--;
      if (users == 0) {
        OPEN.remove(settings);
        pool.close();
        log.atInfo()
            .addKeyValue("schema", settings.schema())
            .addKeyValue("poolSize", settings.poolSize())
            .addKeyValue("peakWriters", peakWriters.get())
            .log("read model pool closed");
      }
    }
  }

  /**
   * Runs {@code work} in one transaction on a pooled connection and commits it, holding one of the
   * writer slots for the whole transaction. The transaction is rolled back if {@code work} throws.
   *
   * @throws SQLTransientException if no writer slot frees up within the connection timeout
   */
  <T> T inTransaction(Transaction<T> work) throws SQLException, InterruptedException {
    migrateOnce();
    if (!writers.tryAcquire(settings.connectionTimeoutMs(), TimeUnit.MILLISECONDS)) {
      throw new SQLTransientException(
          "no writer slot free within "
              + settings.connectionTimeoutMs()
              + " ms ("
              + DatabaseSettings.writerSlots(settings.poolSize())
              + " writers for a pool of "
              + settings.poolSize()
              + ")");
    }
    peakWriters.accumulateAndGet(activeWriters.incrementAndGet(), Math::max);
    try (Connection connection = pool.getConnection()) {
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      }
    } finally {
      activeWriters.decrementAndGet();
      writers.release();
    }
  }

  /** The most transactions that were ever writing at the same time through this pool. */
  int peakWriters() {
    return peakWriters.get();
  }

  private void migrateOnce() throws SQLException {
    if (migrated) {
      return;
    }
    synchronized (migrationLock) {
      if (migrated) {
        return;
      }
      try {
        int applied = Migrations.apply(settings);
        log.atInfo()
            .addKeyValue("schema", settings.schema())
            .addKeyValue("applied", applied)
            .log("read model schema is up to date");
        migrated = true;
      } catch (RuntimeException e) {
        throw new SQLException("migrating schema " + settings.schema() + " failed", e);
      }
    }
  }

  private static void rollbackQuietly(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }
}
