package io.prebuilds.topology;

import java.time.Duration;
import java.util.Objects;

import io.prebuilds.reconcile.ReconcileConfig;
import io.prebuilds.schemas.EventCodec;

/**
 * What shapes the topology: the partition count of the co-partition group (the repartition topic is
 * sized from it), the decision core's configuration, and the bounds of the stores and of a tick.
 *
 * @param partitions partition count of every preset-keyed topic, including our repartition topic
 * @param tick how often the wall-clock punctuator looks for due presets
 * @param maxPresetsPerTick due presets visited per tick at most; the rest stay due for the next
 *     tick, so a burst at a schedule boundary never makes one transaction too long
 * @param decisionsPerSecond timer and definition decisions per second of the instance at most
 *     ({@link DecisionPacer}); {@link DecisionPacer#UNPACED} decides them all at once
 * @param dedupeRetention how long an event id is remembered to drop duplicates
 * @param claimRetention how long a claim's first result is kept to answer a duplicate claim id
 * @param parkTtl how long an event for a preset not defined yet waits for its definition
 * @param drainedRetention how long a drained preset (inactive, nothing left, nothing in flight) is
 *     kept before it is forgotten and its read-model record tombstoned
 * @param source the CloudEvents {@code source} of everything we publish
 * @param maxEventBytes size limit of an input event (smaller than the topics' limit)
 * @param admission the per-organization budget of dispatched prebuild commands
 * @param cachedPresets presets per task whose deserialized state is kept in memory ({@link
 *     CachedStore}); 0 reads every preset from the store
 * @param claimCommitWithin a claim answered within this long of its request asks Kafka Streams to
 *     commit right after the records in hand instead of at the next commit interval: under
 *     exactly-once the answer is visible only when its transaction commits, and someone is waiting
 *     for it. A claim that waited longer was held up by a backlog, which an extra commit per claim
 *     would only grow; it waits for the interval. Zero never asks
 */
public record TopologySettings(
    int partitions,
    ReconcileConfig reconcile,
    Duration tick,
    int maxPresetsPerTick,
    int decisionsPerSecond,
    Duration dedupeRetention,
    Duration claimRetention,
    Duration parkTtl,
    Duration drainedRetention,
    String source,
    int maxEventBytes,
    AdmissionSettings admission,
    int cachedPresets,
    Duration claimCommitWithin) {

  /** Presets per task kept deserialized by default: about 3 MB of heap per 1,000 small pools. */
  public static final int DEFAULT_CACHED_PRESETS = 2_000;

  public static final String DEFAULT_SOURCE = "prebuilds-streams";

  /**
   * How fresh an answered claim must be to ask for a commit at once: Kafka's exactly-once interval.
   */
  public static final Duration DEFAULT_CLAIM_COMMIT_WITHIN = Duration.ofMillis(100);

  public TopologySettings {
    Objects.requireNonNull(reconcile, "reconcile");
    require(partitions >= 1, "partitions must be >= 1, got " + partitions);
    require(positive(tick), "tick must be positive, got " + tick);
    require(maxPresetsPerTick >= 1, "maxPresetsPerTick must be >= 1, got " + maxPresetsPerTick);
    require(decisionsPerSecond >= 0, "decisionsPerSecond must be >= 0, got " + decisionsPerSecond);
    require(positive(dedupeRetention), "dedupeRetention must be positive");
    require(positive(claimRetention), "claimRetention must be positive");
    require(positive(parkTtl), "parkTtl must be positive");
    require(positive(drainedRetention), "drainedRetention must be positive");
    require(source != null && !source.isBlank(), "source must not be blank");
    require(maxEventBytes > 0, "maxEventBytes must be positive");
    Objects.requireNonNull(admission, "admission");
    require(cachedPresets >= 0, "cachedPresets must be >= 0, got " + cachedPresets);
    require(
        claimCommitWithin != null && !claimCommitWithin.isNegative(),
        "claimCommitWithin must be >= 0, got " + claimCommitWithin);
  }

  /** Timer and definition decisions per second by default: a rollover of 200 presets takes ~1 s. */
  public static final int DEFAULT_DECISIONS_PER_SECOND = 200;

  /**
   * Defaults for a partition count: ticks every 100 ms of at most 500 presets, 200 paced decisions
   * a second, one day of dedupe and claim results, an hour of parking, drained presets forgotten
   * after a day, a commit as soon as a claim is answered within 100 ms of its request.
   */
  public static TopologySettings defaults(int partitions) {
    return new TopologySettings(
        partitions,
        ReconcileConfig.defaults(),
        Duration.ofMillis(100),
        500,
        DEFAULT_DECISIONS_PER_SECOND,
        Duration.ofHours(24),
        Duration.ofHours(24),
        Duration.ofHours(1),
        Duration.ofDays(1),
        DEFAULT_SOURCE,
        EventCodec.DEFAULT_MAX_BYTES,
        AdmissionSettings.DEFAULTS,
        DEFAULT_CACHED_PRESETS,
        DEFAULT_CLAIM_COMMIT_WITHIN);
  }

  public TopologySettings withReconcile(ReconcileConfig value) {
    return toBuilder().reconcile(value).build();
  }

  public TopologySettings withTick(Duration value, int maxPerTick) {
    return toBuilder().tick(value).maxPresetsPerTick(maxPerTick).build();
  }

  public TopologySettings withDecisionsPerSecond(int value) {
    return toBuilder().decisionsPerSecond(value).build();
  }

  public TopologySettings withAdmission(AdmissionSettings value) {
    return toBuilder().admission(value).build();
  }

  public TopologySettings withCachedPresets(int value) {
    return toBuilder().cachedPresets(value).build();
  }

  public TopologySettings withClaimCommitWithin(Duration value) {
    return toBuilder().claimCommitWithin(value).build();
  }

  /** A builder holding these settings, for changing several at once. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Changes settings one by one from a complete set, so that a caller names only what it changes
   * and the record's validation runs once, on the result.
   */
  public static final class Builder {
    private final int partitions;
    private ReconcileConfig reconcile;
    private Duration tick;
    private int maxPresetsPerTick;
    private int decisionsPerSecond;
    private final Duration dedupeRetention;
    private final Duration claimRetention;
    private Duration parkTtl;
    private final Duration drainedRetention;
    private final String source;
    private final int maxEventBytes;
    private AdmissionSettings admission;
    private int cachedPresets;
    private Duration claimCommitWithin;

    private Builder(TopologySettings from) {
      partitions = from.partitions;
      reconcile = from.reconcile;
      tick = from.tick;
      maxPresetsPerTick = from.maxPresetsPerTick;
      decisionsPerSecond = from.decisionsPerSecond;
      dedupeRetention = from.dedupeRetention;
      claimRetention = from.claimRetention;
      parkTtl = from.parkTtl;
      drainedRetention = from.drainedRetention;
      source = from.source;
      maxEventBytes = from.maxEventBytes;
      admission = from.admission;
      cachedPresets = from.cachedPresets;
      claimCommitWithin = from.claimCommitWithin;
    }

    public Builder reconcile(ReconcileConfig value) {
      reconcile = value;
      return this;
    }

    public Builder tick(Duration value) {
      tick = value;
      return this;
    }

    public Builder maxPresetsPerTick(int value) {
      maxPresetsPerTick = value;
      return this;
    }

    public Builder decisionsPerSecond(int value) {
      decisionsPerSecond = value;
      return this;
    }

    public Builder parkTtl(Duration value) {
      parkTtl = value;
      return this;
    }

    public Builder admission(AdmissionSettings value) {
      admission = value;
      return this;
    }

    public Builder cachedPresets(int value) {
      cachedPresets = value;
      return this;
    }

    public Builder claimCommitWithin(Duration value) {
      claimCommitWithin = value;
      return this;
    }

    public TopologySettings build() {
      return new TopologySettings(
          partitions,
          reconcile,
          tick,
          maxPresetsPerTick,
          decisionsPerSecond,
          dedupeRetention,
          claimRetention,
          parkTtl,
          drainedRetention,
          source,
          maxEventBytes,
          admission,
          cachedPresets,
          claimCommitWithin);
    }
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
