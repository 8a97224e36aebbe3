/**
 * Drift detection on a forecaster's prequential error, and what to do about a drift.
 *
 * <ul>
 *   <li>{@link io.streamgru.model.drift.DriftDetector}: River-like change detectors fed one value at
 *       a time, {@link io.streamgru.model.drift.PageHinkley} and {@link io.streamgru.model.drift.Adwin}
 *       (both agree with River's implementations detection for detection), with exportable state
 *       for a state store and no allocation per value;</li>
 *   <li>{@link io.streamgru.model.drift.DriftPolicy}: what the owner of the optimizer does on a
 *       drift: nothing (default), a temporary learning-rate boost, or zeroing the moments.</li>
 * </ul>
 *
 * <p>Measurements (detection delays, false alarms, effect of the policies) and the planned wiring
 * into the streaming application: docs/drift.md. Pure Java, no Kafka; nothing is thread-safe.
 */
package io.streamgru.model.drift;
