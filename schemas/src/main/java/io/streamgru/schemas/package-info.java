/**
 * StreamGRU's message schemas, as Avro classes generated from {@code src/main/avro/*.avsc}
 * (Avro namespace {@code io.streamgru.schemas}, which is also this Java package: Avro resolves
 * classes from schema names, so the two must agree).
 *
 * <ul>
 *   <li>{@code SensorReading}: one observation of one series, the input.</li>
 *   <li>{@code Forecast}: a prediction, its model version and config hash, and the resolution
 *       (actual, error) of the earlier forecast this record settled.</li>
 *   <li>{@code ModelSnapshot}: one model version with its {@code ModelConfig}, parameters,
 *       optimizer and normaliser state.</li>
 *   <li>{@code DeadLetter}: envelope of a record that could not be processed.</li>
 *   <li>{@code PackedArray}/{@code Dtype}: flat numeric arrays as little-endian bytes
 *       (see {@link io.streamgru.schemas.numeric.PackedArrayCodec}).</li>
 * </ul>
 *
 * <p>Gradient batches, which only StreamGRU's own learners and optimizer exchange, have no schema
 * here: they travel in an internal binary format (stream-app's {@code GradientBatchCodec}).
 *
 * <p>Evolution rule: a new field always has a default, so every reader can read every older
 * message (the registry's BACKWARD compatibility).
 */
package io.streamgru.schemas;
