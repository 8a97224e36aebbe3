package io.streamgru.app.demo;

import io.streamgru.schemas.SensorReading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Produces the simulated fleet's readings to the input topic at a steady rate, keyed by
 * sensor (JSON or Avro), the simulated hour in the record's event time. Runs until {@link #stop()}.
 */
public final class FleetProducer implements Runnable {

    /** Simulated time starts here (2026-01-05, a Monday). */
    public static final long EPOCH_MS = 1_767_571_200_000L;

    private final String bootstrapServers;
    private final String topic;
    private final SensorFleet fleet;
    private final int recordsPerSecond;
    private final BiFunction<String, SensorFleet.Reading, byte[]> encoder;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;

    /** @param encoder turns a reading into the topic's value bytes (JSON, or Avro via the registry) */
    public FleetProducer(String bootstrapServers, String topic, SensorFleet fleet, int recordsPerSecond,
                         BiFunction<String, SensorFleet.Reading, byte[]> encoder) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.fleet = fleet;
        this.recordsPerSecond = recordsPerSecond;
        this.encoder = encoder;
    }

    public long sent() {
        return sent.get();
    }

    /** One reading as JSON. */
    public static byte[] json(String topic, SensorFleet.Reading r) {
        return String.format(Locale.ROOT, "{\"sensor\":\"%s\",\"time\":%d,\"hour\":%d,\"outdoor\":%.3f,"
                + "\"occupancy\":%.0f,\"temperature\":%.3f}", r.sensor(), EPOCH_MS + r.hour() * 3_600_000L, r.hour(),
                r.outdoor(), r.occupancy(), r.temperature())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One reading as an Avro {@code SensorReading} (features by name in a map), with {@code serializer}. */
    public static byte[] avro(Serializer<Object> serializer, String topic, SensorFleet.Reading r) {
        SensorReading reading = SensorReading.newBuilder()
                .setSeriesId(r.sensor())
                .setEventTime(Instant.ofEpochMilli(EPOCH_MS + r.hour() * 3_600_000L))
                .setFeatures(Map.of("outdoor", r.outdoor(), "occupancy", r.occupancy()))
                .setTarget(r.temperature())
                .build();
        return serializer.serialize(topic, reading);
    }

    @Override
    public void run() {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long start = System.nanoTime();
            while (running) {
                SensorFleet.Reading r = fleet.next();
                // The Kafka timestamp is "now": simulated hours run far ahead of the clock, and topics
                // delete records whose timestamps are older than their retention. The simulated time
                // travels in the record (event_time / time), which StreamGRU reads as the event time.
                producer.send(new ProducerRecord<>(topic, r.sensor().getBytes(StandardCharsets.UTF_8),
                        encoder.apply(topic, r)));
                long n = sent.incrementAndGet();
                long due = start + n * 1_000_000_000L / recordsPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends {@link #run()} after the current record (safe from any thread); the producer then flushes. */
    public void stop() {
        running = false;
    }
}
