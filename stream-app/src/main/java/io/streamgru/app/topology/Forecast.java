package io.streamgru.app.topology;

/**
 * What StreamGRU publishes for each input record: the forecast of the target {@code horizon}
 * records ahead, and, when this record's target is known, how the earlier forecast for it did.
 *
 * <p>Why not the Avro-generated {@code io.streamgru.schemas.Forecast}: this is the one value the
 * learner makes per record and every {@link ForecastEncoder} reads. It holds primitives with
 * {@code NaN} for "unknown" (no boxed {@code Double}s, no {@code Instant}, no builder per record), so
 * the default JSON output needs nothing from Avro; {@link AvroForecastEncoder} maps it to the
 * generated class, which stays the wire schema other clients read.
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
 * @param lower              lower bound of the prediction interval around {@code prediction} (NaN: none yet)
 * @param upper              upper bound of that interval (NaN: none yet)
 * @param intervalLevel      the coverage the interval aims at (NaN when there is none)
 * @param modelForecast      the model's own forecast of the same target, before its combination with other
 *                           experts (equal to {@code prediction} when the combination is off; NaN: unknown)
 * @param expert             the expert of largest weight in {@code prediction} ({@code model},
 *                           {@code persistence}, {@code linear}); null when the combination is off
 */
public record Forecast(String seriesId, long eventTime, int horizon, double prediction, long modelVersion,
                       String configHash, double actual, double resolvedPrediction, double error,
                       double persistenceError, boolean drift, double lower, double upper, double intervalLevel,
                       double modelForecast, String expert) {

    /** A forecast of the model alone (no combination of experts). */
    public Forecast(String seriesId, long eventTime, int horizon, double prediction, long modelVersion,
                    String configHash, double actual, double resolvedPrediction, double error,
                    double persistenceError, boolean drift, double lower, double upper, double intervalLevel) {
        this(seriesId, eventTime, horizon, prediction, modelVersion, configHash, actual, resolvedPrediction, error,
                persistenceError, drift, lower, upper, intervalLevel, prediction, null);
    }

    /** A forecast without a prediction interval. */
    public Forecast(String seriesId, long eventTime, int horizon, double prediction, long modelVersion,
                    String configHash, double actual, double resolvedPrediction, double error,
                    double persistenceError, boolean drift) {
        this(seriesId, eventTime, horizon, prediction, modelVersion, configHash, actual, resolvedPrediction, error,
                persistenceError, drift, Double.NaN, Double.NaN, Double.NaN);
    }
}
