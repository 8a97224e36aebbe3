package io.streamgru.app.topology;

/**
 * What StreamGRU publishes for each input record: the forecast of the target {@code horizon}
 * records ahead, and, when this record's target is known, how the earlier forecast for it did.
 *
 * @param seriesId           the series (key)
 * @param eventTime          event time of the input record, epoch ms
 * @param horizon            records ahead (0: this record's own target)
 * @param prediction         the forecast
 * @param modelVersion       model version used
 * @param configHash         configuration the model belongs to
 * @param actual             this record's target (NaN if unknown)
 * @param resolvedPrediction the forecast made earlier for this record's target (NaN if none)
 * @param error              actual − resolvedPrediction (NaN unless both are known)
 * @param persistenceError   actual − the persistence baseline's forecast (the last target known at forecast time)
 * @param drift              the error of the resolved forecast set off the series' drift detector
 */
public record Forecast(String seriesId, long eventTime, int horizon, double prediction, long modelVersion,
                       String configHash, double actual, double resolvedPrediction, double error,
                       double persistenceError, boolean drift) {
}
