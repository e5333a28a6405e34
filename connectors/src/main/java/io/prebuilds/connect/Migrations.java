package io.prebuilds.connect;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and upgrades the read model's schema with Flyway (scripts in {@code
 * io/prebuilds/connect/migrations}). Safe to run from many workers at once: Flyway holds a
 * PostgreSQL advisory lock while it migrates, so each version is applied once and the others find
 * nothing to do. It uses its own short-lived connections, never the writers' pool.
 */
final class Migrations {

  static final String LOCATION = "classpath:io/prebuilds/connect/migrations";

  private Migrations() {}

  /** Applies pending migrations; returns how many were applied by this call. */
  static int apply(DatabaseSettings settings) {
    MigrateResult result =
        Flyway.configure(Migrations.class.getClassLoader())
            .dataSource(settings.jdbcUrl(), settings.user(), settings.password().value())
            .schemas(settings.schema())
            .defaultSchema(settings.schema())
            .createSchemas(true)
            .locations(LOCATION)
            .load()
            .migrate();
    return result.migrationsExecuted;
  }
}
