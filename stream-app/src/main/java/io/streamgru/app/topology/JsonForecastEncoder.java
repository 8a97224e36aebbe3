package io.streamgru.app.topology;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;

/**
 * Forecasts as one JSON object per record, snake_case field names; unknown numbers are
 * {@code null}. Written by hand: this is the hot path, and the shape is fixed.
 *
 * <p>Numbers are the shortest decimals that read back as the same double (Jackson's port of the
 * Schubfach algorithm, which {@code Double.toString} uses from JDK 19 on): JDK 17's
 * {@code Double.toString} takes a big-integer path for most full-precision doubles, which made it
 * the largest cost of encoding a forecast; it also prints a longer decimal than needed for a few.
 */
public final class JsonForecastEncoder implements ForecastEncoder {

    private final StringBuilder json = new StringBuilder(256);

    @Override
    public byte[] encode(String topic, Forecast f) {
        json.setLength(0);
        json.append("{\"series_id\":");
        quote(f.seriesId());
        json.append(",\"event_time\":").append(f.eventTime());
        json.append(",\"horizon\":").append(f.horizon());
        json.append(",\"prediction\":");
        number(f.prediction());
        json.append(",\"model_version\":").append(f.modelVersion());
        json.append(",\"config_hash\":");
        quote(f.configHash());
        json.append(",\"actual\":");
        number(f.actual());
        json.append(",\"resolved_prediction\":");
        number(f.resolvedPrediction());
        json.append(",\"error\":");
        number(f.error());
        json.append(",\"persistence_error\":");
        number(f.persistenceError());
        json.append(",\"drift\":").append(f.drift());
        json.append(",\"lower\":");
        number(f.lower());
        json.append(",\"upper\":");
        number(f.upper());
        json.append(",\"interval_level\":");
        number(Double.isFinite(f.lower()) ? f.intervalLevel() : Double.NaN);
        json.append(",\"model_forecast\":");
        number(f.modelForecast());
        json.append(",\"expert\":");
        if (f.expert() == null) {
            json.append("null");
        } else {
            quote(f.expert());
        }
        json.append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] encodeKey(String topic, String seriesId) {
        return seriesId.getBytes(StandardCharsets.UTF_8);
    }

    private void number(double v) {
        if (Double.isFinite(v)) {
            json.append(NumberOutput.toString(v, true));
        } else {
            json.append("null");
        }
    }

    private void quote(String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
