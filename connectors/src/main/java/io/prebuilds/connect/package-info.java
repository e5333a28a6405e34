/** Kafka Connect sink that keeps the PostgreSQL read model in step with the streams. */
package io.prebuilds.connect;
