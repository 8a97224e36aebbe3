/**
 * Prediction intervals around a series' point forecasts, calibrated online on the forecasts' own
 * errors: {@link io.streamgru.model.interval.ConformalInterval} (adaptive conformal inference in its
 * quantile-tracking form; its header states the maths and the coverage guarantee). Pure Java, no
 * allocation per record, state exportable for a key-value store; nothing is thread-safe.
 */
package io.streamgru.model.interval;
