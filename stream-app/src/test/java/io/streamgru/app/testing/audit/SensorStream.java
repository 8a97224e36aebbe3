package io.streamgru.app.testing.audit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A steady stream of keyed sensor readings written in the background at a fixed rate, so faults
 * can hit it mid-stream: keys {@code sensor-0…}, each with readings {@code 0…readingsPerKey-1}
 * interleaved by step, JSON {@code {"load", "temperature", "seq", "ts"}} where {@code ts} (event
 * time, epoch ms, one minute apart) rises with {@code seq}, and the temperature follows the load
 * one step later (learnable, as {@link io.streamgru.app.testing.SensorReadings}).
 *
 * <p>Only readings the broker acknowledged count as written ({@link #written()}); the producer is
 * idempotent and retries for five minutes, so a broker restart delays readings but loses none.
 */
public final class SensorStream implements AutoCloseable {

    /** Event time of step 0: 2026-01-01T00:00:00Z. */
    public static final long FIRST_EVENT_TIME = 1_767_225_600_000L;
    /** Event time between two readings of a key. */
    public static final long STEP_MILLIS = 60_000;

    private final String topic;
    private final int keys;
    private final int readingsPerKey;
    private final double recordsPerSecond;
    private final ValueEncoder encoder;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConcurrentLinkedQueue<Reading> written = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    /** How a reading becomes a record value: JSON ({@link #json}) unless a test needs e.g. Avro. */
    @FunctionalInterface
    public interface ValueEncoder {
        /** The value of reading {@code step} of key number {@code key}, with fields load, temperature, seq and ts. */
        byte[] encode(int key, long step, double load, double temperature, long eventTime);
    }

    /** The JSON encoding: {@code {"load", "temperature", "seq", "ts"}}. */
    public static ValueEncoder json() {
        return (key, step, load, temperature, eventTime) -> String.format(Locale.ROOT,
                "{\"load\":%.6f,\"temperature\":%s,\"seq\":%d,\"ts\":%d}", load, temperature, step, eventTime)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Starts writing {@code keys × readingsPerKey} JSON readings to {@code topic} at {@code recordsPerSecond}. */
    public SensorStream(String bootstrapServers, String topic, int keys, int readingsPerKey, double recordsPerSecond) {
        this(bootstrapServers, topic, keys, readingsPerKey, recordsPerSecond, json());
    }

    /** As the other constructor, with values from {@code encoder}. */
    public SensorStream(String bootstrapServers, String topic, int keys, int readingsPerKey, double recordsPerSecond,
                        ValueEncoder encoder) {
        this.encoder = encoder;
        this.topic = topic;
        this.keys = keys;
        this.readingsPerKey = readingsPerKey;
        this.recordsPerSecond = recordsPerSecond;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(5).toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "sensor-stream-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Settings of a StreamGRU app {@code appId} that learns from this stream's readings in {@code topic}
     * on {@code bootstrapServers}: a small model, and small gradient batches and optimizer steps, so
     * that the model advances several versions a second at these rates and "it advances" is measured
     * on many versions.
     */
    public static Map<String, String> appSettings(String appId, String bootstrapServers, String topic) {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("app.id", appId);
        settings.put("kafka.bootstrap.servers", bootstrapServers);
        settings.put("input.topics", topic);
        settings.put("input.features", "load");
        settings.put("input.target", "temperature");
        settings.put("input.time", "ts");
        settings.put("learner.hidden", "8");
        settings.put("learner.chunk", "8");
        settings.put("learner.window", "16");
        settings.put("streaming.gradient.flush.ms", "500");
        settings.put("streaming.gradient.batch.samples", "16");
        settings.put("streaming.optimizer.samples", "32");
        return settings;
    }

    /** Total readings this stream writes. */
    public int total() {
        return keys * readingsPerKey;
    }

    /** Readings acknowledged by the broker so far. */
    public int writtenCount() {
        return written.size();
    }

    /** The temperature of reading {@code step} of key number {@code key}. */
    public static double temperature(int key, long step) {
        return Math.round((20 + 3 * Math.sin(0.2 * (step - 1) + key)) * 1e6) / 1e6;
    }

    /** Waits until {@code count} readings are acknowledged (or the stream failed). */
    public void awaitWritten(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (written.size() < count) {
            throwIfFailed();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + written.size() + " of " + count + " readings written within "
                        + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Waits until every reading is written and acknowledged; returns them in the order written per key. */
    public List<Reading> awaitAll(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the sensor stream did not finish within " + timeout);
        }
        throwIfFailed();
        return written();
    }

    /** The readings acknowledged so far, ordered by key and sequence number. */
    public List<Reading> written() {
        List<Reading> out = new ArrayList<>(written);
        out.sort(Comparator.comparing(Reading::key).thenComparingLong(Reading::sequence));
        return out;
    }

    private void throwIfFailed() {
        if (failure.get() != null) {
            throw new AssertionError("writing the sensor stream failed: " + failure.get(), failure.get());
        }
    }

    private void run() {
        long start = System.nanoTime();
        long index = 0;
        try {
            for (long step = 0; step < readingsPerKey && !stopped; step++) {
                for (int k = 0; k < keys && !stopped; k++) {
                    // Paced by the clock, not by sleeps per record: the rate holds even if a send blocks a while.
                    long due = start + (long) (index * 1e9 / recordsPerSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    send(k, step);
                    index++;
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private void send(int key, long step) {
        String name = "sensor-" + key;
        double temperature = temperature(key, step);
        long eventTime = FIRST_EVENT_TIME + step * STEP_MILLIS;
        byte[] value = encoder.encode(key, step, Math.sin(0.2 * step + key), temperature, eventTime);
        producer.send(new ProducerRecord<>(topic, name.getBytes(StandardCharsets.UTF_8), value), (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            } else {
                written.add(new Reading(name, step, eventTime, temperature,
                        metadata.partition(), metadata.offset()));
            }
        });
    }

    /** Stops writing (what was sent is flushed) and closes the producer. */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(Duration.ofMinutes(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
