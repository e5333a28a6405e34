package io.prebuilds.runtime;

import java.util.Map;
import java.util.function.Function;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * A running Kafka Streams client with the runtime's policies attached: the stream-thread failure
 * policy, the logging state listener and the restore listener feeding {@link Health}, Kafka Streams
 * metrics bound to the registry, and a close bounded by the shutdown timeout.
 */
public final class StreamsService implements AutoCloseable {
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics metrics;
  private final RuntimeContext context;

  private StreamsService(
      KafkaStreams streams, KafkaStreamsMetrics metrics, RuntimeContext context) {
    this.streams = streams;
    this.metrics = metrics;
    this.context = context;
  }

  /** A stage that builds the topology from the context and runs it. */
  public static Stage stage(Function<RuntimeContext, Topology> topology) {
    return new Stage("kafka-streams", context -> start(topology.apply(context), context));
  }

  /** Starts {@code topology} with the context's config; returns once the client is starting. */
  public static StreamsService start(Topology topology, RuntimeContext context) {
    return start(topology, Map.of(), context);
  }

  /**
   * Starts {@code topology} with the context's config plus the settings the topology itself
   * requires (handlers and their collaborators, which are objects rather than strings; they win
   * over configured values).
   */
  public static StreamsService start(
      Topology topology, Map<String, ?> required, RuntimeContext context) {
    var config = context.config();
    var properties = config.streamsProperties();
    properties.putAll(required);
    var streams = new KafkaStreams(topology, properties);
    var health = context.health();
    streams.setStateListener(new StateTransitionLog(health));
    streams.setGlobalStateRestoreListener(health.restoreListener());
    streams.setUncaughtExceptionHandler(
        new StreamThreadFailurePolicy(
            config.threadFailures(), context.clock(), context.registry(), health));
    var metrics = new KafkaStreamsMetrics(streams);
    metrics.bindTo(context.registry());
    streams.start();
    return new StreamsService(streams, metrics, context);
  }

  /** The client, for interactive queries and metadata. */
  public KafkaStreams streams() {
    return streams;
  }

  /**
   * Stops within the shutdown timeout and leaves the consumer group, so the instances that remain
   * (or this one, restarted) take the tasks over at once instead of after the session timeout.
   */
  @Override
  public void close() {
    streams.close(
        CloseOptions.timeout(context.config().shutdownTimeout())
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    metrics.close();
  }
}
