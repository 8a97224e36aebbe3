package io.streamgru.app.topology;

import io.streamgru.app.input.RegistryFailures;
import io.streamgru.schemas.serde.SerdeException;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Forecasts as the Avro {@code io.streamgru.schemas.Forecast} record, keyed by the series id as an
 * Avro string, both in the Confluent wire format (what Confluent's Avro consumers expect of an
 * Avro topic).
 */
public final class AvroForecastEncoder implements ForecastEncoder {

    private final Serializer<Object> serializer;
    private final Serializer<Object> keySerializer;

    /** @param serializer, keySerializer Confluent Avro serializers for values and keys (configured, owned by the caller) */
    public AvroForecastEncoder(Serializer<Object> serializer, Serializer<Object> keySerializer) {
        this.serializer = serializer;
        this.keySerializer = keySerializer;
    }

    @Override
    public byte[] encodeKey(String topic, String seriesId) {
        try {
            return keySerializer.serialize(topic, seriesId);
        } catch (SerdeException e) {
            throw RegistryFailures.isRegistrysFault(e) ? RegistryFailures.of(e) : e;
        }
    }

    @Override
    public byte[] encode(String topic, Forecast f) {
        io.streamgru.schemas.Forecast avro = io.streamgru.schemas.Forecast.newBuilder()
                .setSeriesId(f.seriesId())
                .setEventTime(Instant.ofEpochMilli(f.eventTime()))
                .setHorizon(f.horizon())
                .setPrediction(f.prediction())
                .setPredictions(List.of())
                .setModelVersion(f.modelVersion())
                .setConfigHash(f.configHash())
                .setActual(orNull(f.actual()))
                .setResolvedPrediction(orNull(f.resolvedPrediction()))
                .setError(orNull(f.error()))
                .setPersistenceError(orNull(f.persistenceError()))
                .setDrift(f.drift())
                .setLower(orNull(f.lower()))
                .setUpper(orNull(f.upper()))
                .setIntervalLevel(Double.isFinite(f.lower()) ? orNull(f.intervalLevel()) : null)
                .setModelForecast(orNull(f.modelForecast()))
                .setExpert(f.expert())
                .build();
        try {
            return serializer.serialize(topic, avro);
        } catch (SerdeException e) {
            // The registry refusing or missing: stop before committing past the record (see StreamGruApp).
            throw RegistryFailures.isRegistrysFault(e) ? RegistryFailures.of(e) : e;
        }
    }

    private static Double orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
