package io.streamgru.app.topology;

/** Serialises forecasts for the output topic (JSON, or Avro via a Schema Registry). */
public interface ForecastEncoder {

    byte[] encode(String topic, Forecast forecast);

    /** The record key: the series id (UTF-8 text for JSON, an Avro string for Avro). */
    byte[] encodeKey(String topic, String seriesId);
}
