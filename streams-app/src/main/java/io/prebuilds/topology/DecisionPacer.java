package io.prebuilds.topology;

/**
 * The instance's budget of decisions that can wait: timer decisions and decisions on a changed
 * preset definition. Events that someone waits for (claims, builds) are decided at once and never
 * draw from it.
 *
 * <p>Why: a template rollover or a schedule boundary makes hundreds of presets want a decision at
 * the same moment. Decided in one go, they hold up the stream thread, and a claim behind them waits
 * for all of them (measured: the rollover second held the claim p99). Paced, a burst is decided a
 * tick's share at a time, and claims are handled between the shares. Builds take minutes, so a
 * definition taking effect a second later costs nothing a user sees.
 *
 * <p>A token bucket over the wall clock, shared by every reconciler task of the instance (so the
 * rate is the instance's, whatever its thread and task count); it holds at most one tick's worth of
 * tokens, so an idle instance still decides at most that many at once.
 */
public final class DecisionPacer {
  /** Disables pacing: every such decision is taken at once, as before pacing existed. */
  public static final int UNPACED = 0;

  private final int perSecond;
  private final double capacity;
  private double tokens;
  private long refilledAt = Long.MIN_VALUE;

  /**
   * @param perSecond decisions per second at most, {@link #UNPACED} for no limit
   * @param tickMillis the punctuator's interval: the bucket holds one tick's share
   */
  public DecisionPacer(int perSecond, long tickMillis) {
    if (perSecond < 0) {
      throw new IllegalArgumentException("decisions per second must be >= 0, got " + perSecond);
    }
    this.perSecond = perSecond;
    this.capacity = Math.max(1.0, perSecond * tickMillis / 1000.0);
    this.tokens = capacity;
  }

  /** The pacer the settings ask for: their rate, a bucket of one tick's share. */
  static DecisionPacer of(TopologySettings settings) {
    return new DecisionPacer(settings.decisionsPerSecond(), settings.tick().toMillis());
  }

  /** Takes up to {@code wanted} decisions from the budget; returns how many it may take now. */
  public synchronized int take(long nowMillis, int wanted) {
    if (perSecond == UNPACED) {
      return wanted;
    }
    refill(nowMillis);
    int granted = (int) Math.min(wanted, Math.floor(tokens));
    tokens -= granted;
    return granted;
  }

  /** Gives back decisions taken but not made (fewer presets were due than granted). */
  public synchronized void giveBack(int unused) {
    if (perSecond != UNPACED && unused > 0) {
      tokens = Math.min(capacity, tokens + unused);
    }
  }

  private void refill(long nowMillis) {
    if (refilledAt != Long.MIN_VALUE && nowMillis > refilledAt) {
      tokens = Math.min(capacity, tokens + (nowMillis - refilledAt) * perSecond / 1000.0);
    }
    refilledAt = Math.max(refilledAt, nowMillis);
  }
}
