/**
 * Kafka {@code Serializer}/{@code Deserializer}/{@code Serde} for Avro in the Confluent wire format
 * (byte 0 = 0, a 4-byte big-endian schema id, the Avro binary encoding), interoperable with
 * Confluent's own serdes and every client that follows that format.
 *
 * <p>{@link io.streamgru.schemas.serde.ConfluentAvroSerde} handles StreamGRU's generated classes
 * (specific records) and any {@code GenericRecord}; {@link io.streamgru.schemas.serde.SerdeConfig}
 * reads Confluent's configuration keys; every failure is a
 * {@link io.streamgru.schemas.serde.SerdeException} whose
 * {@link io.streamgru.schemas.serde.SerdeException.Reason} a streaming application can put on a
 * dead-letter record.
 */
package io.streamgru.schemas.serde;
