package io.prebuilds.connect;

import org.apache.kafka.common.config.types.Password;

/**
 * Where the read model lives and how many connections the sink may hold there. Tasks of one worker
 * whose settings are equal share one pool ({@link SharedDatabase}). The password is a Kafka {@link
 * Password}, so it prints as {@code [hidden]}.
 *
 * @param jdbcUrl a {@code jdbc:postgresql:} URL
 * @param user empty or null to take it from the URL
 * @param password empty to take it from the URL
 * @param schema the schema holding the read model tables
 * @param poolSize connections in the shared pool; writers are at most half of them
 * @param connectionTimeoutMs how long a write waits for a writer slot or a connection
 */
record DatabaseSettings(
    String jdbcUrl,
    String user,
    Password password,
    String schema,
    int poolSize,
    long connectionTimeoutMs) {

  /** At most half of the pool writes at once, as Coder bounds its reconciler, and at least one. */
  static int writerSlots(int poolSize) {
    return Math.max(1, poolSize / 2);
  }
}
