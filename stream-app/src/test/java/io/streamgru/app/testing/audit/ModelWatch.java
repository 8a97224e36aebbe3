package io.streamgru.app.testing.audit;

import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.ModelVersionCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the model topic in the background as a downstream consumer would ({@code read_committed},
 * from the beginning): every published version, in order, with the time it became visible. Tells
 * whether the model advances (after a fault, at what rate) and, at the end, whether the versions
 * form 1…n without gaps with finite parameters.
 */
public final class ModelWatch implements AutoCloseable {

    /** A version as seen: its number, whether all its parameters are finite, and when it became visible. */
    public record Seen(long version, boolean finite, long nanoTime) {
    }

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    /** Starts following {@code topic} (waiting for it to exist). */
    public ModelWatch(String bootstrapServers, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "model-watch-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** The newest version seen, 0 before the first. */
    public long latest() {
        return seen.isEmpty() ? 0 : seen.get(seen.size() - 1).version();
    }

    /** Every version seen so far, in topic order. */
    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Waits until a version above {@code version} is visible; returns how long that took. */
    public Duration awaitAbove(long version, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        while (latest() <= version) {
            if (failure.get() != null) {
                throw new AssertionError("following " + topic + " failed: " + failure.get(), failure.get());
            }
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new AssertionError("the model did not advance beyond version " + version + " within "
                        + timeout);
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Versions per second that became visible in {@code [fromNanos, toNanos)}. */
    public double rate(long fromNanos, long toNanos) {
        long count = seen.stream().filter(s -> s.nanoTime() >= fromNanos && s.nanoTime() < toNanos).count();
        return count / ((toNanos - fromNanos) / 1e9);
    }

    /**
     * What keeps {@code versions} (in topic order) from being exactly 1, 2, …, n (n ≥ 1) with finite
     * parameters; empty if nothing. At most 10 problems.
     */
    public static List<String> gaps(List<Seen> versions) {
        List<String> problems = new ArrayList<>();
        if (versions.isEmpty()) {
            problems.add("no model version was published");
        }
        for (int i = 0; i < versions.size() && problems.size() < 10; i++) {
            if (versions.get(i).version() != i + 1) {
                problems.add("position " + i + " holds version " + versions.get(i).version() + ", expected " + (i + 1));
            }
            if (!versions.get(i).finite()) {
                problems.add("version " + versions.get(i).version() + " has non-finite parameters");
            }
        }
        return problems;
    }

    private void run() {
        try {
            List<PartitionInfo> partitions = List.of();
            while (!stopped && partitions.isEmpty()) {
                partitions = consumer.listTopics(Duration.ofSeconds(10)).getOrDefault(topic, List.of());
                if (partitions.isEmpty()) {
                    Thread.sleep(200);
                }
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    ModelVersion v = ModelVersionCodec.decode(r.value());
                    boolean finite = true;
                    for (double p : v.parameters()) {
                        finite &= Double.isFinite(p);
                    }
                    seen.add(new Seen(v.version(), finite, System.nanoTime()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopped) {
                failure.compareAndSet(null, e);
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
