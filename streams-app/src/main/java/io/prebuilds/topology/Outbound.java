package io.prebuilds.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A record on its way out, already encoded, with the topic it belongs to. One sink routes every
 * output by {@link #topic()}; a {@code null} value becomes a tombstone. Records for the admission
 * stage ({@link #admission()}) carry an encoded {@link AdmissionRecord} and go through the {@code
 * admission} repartition topic instead.
 */
record Outbound(String topic, byte[] value) {

  /** The pseudo-topic of records for the admission stage. */
  static final String ADMISSION = "admission";

  static Outbound admission(AdmissionRecord record) {
    return new Outbound(ADMISSION, AdmissionRecord.SERDE.serializer().serialize(ADMISSION, record));
  }

  boolean admission() {
    return ADMISSION.equals(topic);
  }

  /** Writes the encoded value as is (null for a tombstone); Outbound is never read back. */
  static final Serde<Outbound> SERDE =
      Serdes.serdeFrom(
          (Serializer<Outbound>) (topic, outbound) -> outbound == null ? null : outbound.value(),
          (topic, bytes) -> {
            throw new UnsupportedOperationException("Outbound records are write-only");
          });
}
