package io.streamgru.app.topology;

/** Serialises forecasts for the output topic (JSON, or Avro via a Schema Registry). */
public interface ForecastEncoder {

    byte[] encode(String topic, Forecast forecast);
}
