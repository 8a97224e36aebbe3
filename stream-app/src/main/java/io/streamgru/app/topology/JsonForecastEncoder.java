package io.streamgru.app.topology;

import java.nio.charset.StandardCharsets;

/**
 * Forecasts as one JSON object per record, snake_case field names; unknown numbers are
 * {@code null}. Written by hand: this is the hot path, and the shape is fixed.
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
            json.append(v);
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
