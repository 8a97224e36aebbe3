package io.streamgru.app.demo;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the simulated fleet's readings to the input topic at a steady rate, as JSON keyed by
 * sensor; the record timestamp is the simulated hour. Runs until interrupted.
 */
public final class FleetProducer implements Runnable {

    /** Simulated time starts here (2026-01-05, a Monday). */
    public static final long EPOCH_MS = 1_767_571_200_000L;

    private final String bootstrapServers;
    private final String topic;
    private final SensorFleet fleet;
    private final int recordsPerSecond;
    private final AtomicLong sent = new AtomicLong();

    public FleetProducer(String bootstrapServers, String topic, SensorFleet fleet, int recordsPerSecond) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.fleet = fleet;
        this.recordsPerSecond = recordsPerSecond;
    }

    public long sent() {
        return sent.get();
    }

    /** One reading as the JSON the demo's topic holds. */
    public static byte[] json(SensorFleet.Reading r) {
        return String.format(Locale.ROOT, "{\"sensor\":\"%s\",\"hour\":%d,\"outdoor\":%.3f,\"occupancy\":%.0f,"
                + "\"temperature\":%.3f}", r.sensor(), r.hour(), r.outdoor(), r.occupancy(), r.temperature())
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void run() {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long start = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                SensorFleet.Reading r = fleet.next();
                producer.send(new ProducerRecord<>(topic, null, EPOCH_MS + r.hour() * 3_600_000L,
                        r.sensor().getBytes(StandardCharsets.UTF_8), json(r)));
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
}
