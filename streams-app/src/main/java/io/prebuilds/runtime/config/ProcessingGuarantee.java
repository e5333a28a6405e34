package io.prebuilds.runtime.config;

/** The Kafka Streams processing guarantees the service supports. */
public enum ProcessingGuarantee {
  EXACTLY_ONCE_V2("exactly_once_v2"),
  AT_LEAST_ONCE("at_least_once");

  private final String configValue;

  ProcessingGuarantee(String configValue) {
    this.configValue = configValue;
  }

  /** The value of Kafka's {@code processing.guarantee}. */
  public String configValue() {
    return configValue;
  }
}
