package io.streamgru.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import io.streamgru.schemas.Forecast;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the forecasts back from the output topic (read_committed) and hands them to the view,
 * until {@link #stop()}.
 */
public final class ForecastReader implements Runnable {

    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    private final String bootstrapServers;
    private final String topic;
    private final Function<byte[], LiveView.ForecastView> decoder;
    private final Consumer<LiveView.ForecastView> sink;

    public ForecastReader(String bootstrapServers, String topic, Function<byte[], LiveView.ForecastView> decoder,
                          Consumer<LiveView.ForecastView> sink) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.decoder = decoder;
        this.sink = sink;
    }

    @Override
    public void run() {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "streamgru-demo-view",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of(topic));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    sink.accept(decoder.apply(r.value()));
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // stop() was called
        }
    }

    /** Ends {@link #run()} promptly (safe from any thread). */
    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** A JSON forecast as the view needs it. */
    public static LiveView.ForecastView fromJson(ObjectMapper json, byte[] value) {
        try {
            JsonNode f = json.readTree(value);
            return new LiveView.ForecastView(f.get("series_id").asText(), hour(f.get("event_time").asLong()),
                    number(f, "prediction"), f.get("model_version").asLong(), number(f, "actual"),
                    number(f, "resolved_prediction"), number(f, "persistence_error"));
        } catch (IOException e) {
            throw new IllegalStateException("unreadable forecast: " + e.getMessage(), e);
        }
    }

    /** An Avro forecast (already deserialized) as the view needs it. */
    public static LiveView.ForecastView fromAvro(Forecast f) {
        return new LiveView.ForecastView(f.getSeriesId(), hour(f.getEventTime().toEpochMilli()), f.getPrediction(),
                f.getModelVersion(), orNaN(f.getActual()), orNaN(f.getResolvedPrediction()),
                orNaN(f.getPersistenceError()));
    }

    /** The simulated fleet's hour of an event time. */
    private static long hour(long epochMillis) {
        return (epochMillis - FleetProducer.EPOCH_MS) / 3_600_000L;
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    private static double number(JsonNode f, String field) {
        JsonNode n = f.get(field);
        return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
    }
}
