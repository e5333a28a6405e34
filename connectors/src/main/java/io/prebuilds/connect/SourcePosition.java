package io.prebuilds.connect;

/**
 * Where a record sits in Kafka. The sink stores it beside every row: for the compacted preset-state
 * topic a later offset of the same partition is what makes an event newer, since a preset's events
 * all land in the partition of its key.
 */
record SourcePosition(String topic, int partition, long offset) {

  /** True if an event at {@code other} supersedes one here: same partition, later offset. */
  boolean isBefore(SourcePosition other) {
    return topic.equals(other.topic) && partition == other.partition && offset < other.offset;
  }

  @Override
  public String toString() {
    return topic + "[" + partition + "]@" + offset;
  }
}
