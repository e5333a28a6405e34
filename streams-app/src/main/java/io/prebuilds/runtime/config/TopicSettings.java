package io.prebuilds.runtime.config;

/**
 * How our topics are created. Every preset-keyed topic shares {@code partitions} (co-partitioning),
 * chosen once; internal topics of Kafka Streams use the same replication factor.
 */
public record TopicSettings(int partitions, short replicationFactor) {}
