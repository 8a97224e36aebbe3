package io.streamgru.app.versions;

import io.streamgru.app.config.ClientProperties;
import io.streamgru.app.config.StreamGruConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the published versions of one model: the newest from the compacted {@code <app>-model}
 * topic, older ones from {@code <app>-model-history}. Reads committed records only, from the start
 * to the end offsets at the time of the call, with a plain consumer (no group, nothing committed).
 */
public final class ModelTopicReader {

    private final Map<String, Object> consumerProperties;
    private final String modelTopic;
    private final String historyTopic;
    private final String modelName;
    private final Duration timeout;

    public ModelTopicReader(StreamGruConfig config) {
        this(config, Duration.ofSeconds(60));
    }

    public ModelTopicReader(StreamGruConfig config, Duration timeout) {
        this.consumerProperties = ClientProperties.consumer(config);
        consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProperties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.streaming().maxMessageBytes());
        consumerProperties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                Math.max(config.streaming().maxMessageBytes(), 52_428_800));
        this.modelTopic = config.modelTopic();
        this.historyTopic = config.modelHistoryTopic();
        this.modelName = config.modelName();
        this.timeout = timeout;
    }

    /** The newest published version, if any. */
    public Optional<ModelVersion> latest() {
        byte[][] newest = new byte[1][];
        read(modelTopic, (offset, value) -> {
            if (newest[0] == null || ModelVersionCodec.version(value) > ModelVersionCodec.version(newest[0])) {
                newest[0] = value;
            }
        });
        return Optional.ofNullable(newest[0]).map(ModelVersionCodec::decode);
    }

    /**
     * Every version still on record (the history topic, plus the newest), oldest first, without
     * their arrays (parameters, statistics, optimizer state are empty): for listing. Where a version
     * number was published twice (two publishers raced) the first one on the topic is kept, as the
     * live application keeps it.
     */
    public List<ModelVersion> summaries() {
        TreeMap<Long, ModelVersion> byVersion = new TreeMap<>();
        BiConsumer<Long, byte[]> keep = (offset, value) ->
                byVersion.putIfAbsent(ModelVersionCodec.version(value), ModelVersionCodec.decodeSummary(value));
        read(historyTopic, keep);
        read(modelTopic, keep);
        return new ArrayList<>(byVersion.values());
    }

    /** Version {@code number} in full, if it is still on record. */
    public Optional<ModelVersion> find(long number) {
        byte[][] found = new byte[1][];
        BiConsumer<Long, byte[]> match = (offset, value) -> {
            if (found[0] == null && ModelVersionCodec.version(value) == number) {
                found[0] = value;
            }
        };
        read(historyTopic, match);
        read(modelTopic, match);
        return Optional.ofNullable(found[0]).map(ModelVersionCodec::decode);
    }

    /**
     * Version {@code number} in full; if it is not on record, throws an {@link IllegalArgumentException}
     * that lists the versions that are.
     */
    public ModelVersion require(long number) {
        return find(number).orElseThrow(() -> new IllegalArgumentException("version " + number + " of model '"
                + modelName + "' is not on record; " + onRecord()));
    }

    /** The newest published version; throws an {@link IllegalArgumentException} if there is none. */
    public ModelVersion requireLatest() {
        return latest().orElseThrow(() -> new IllegalArgumentException(onRecord()));
    }

    /** Which versions are on record, as ranges: "versions on record: 1-4, 9, 12-15". */
    private String onRecord() {
        List<ModelVersion> all = summaries();
        if (all.isEmpty()) {
            return "no version of model '" + modelName + "' is on record (topics " + modelTopic + ", " + historyTopic
                    + ")";
        }
        StringJoiner ranges = new StringJoiner(", ", "versions on record: ", "");
        for (int i = 0; i < all.size(); i++) {
            long first = all.get(i).version();
            long last = first;
            while (i + 1 < all.size() && all.get(i + 1).version() == last + 1) {
                last = all.get(++i).version();
            }
            ranges.add(last > first ? first + "-" + last : Long.toString(first));
        }
        return ranges.toString();
    }

    /** How many records on the model topic carry version {@code number} (more than one: a race). */
    public int copiesOnModelTopic(long number) {
        int[] n = new int[1];
        read(modelTopic, (offset, value) -> {
            if (ModelVersionCodec.version(value) == number) {
                n[0]++;
            }
        });
        return n[0];
    }

    /** The end offsets of the history topic's partitions now: where versions published from now on will be. */
    public Map<TopicPartition, Long> historyEnd() {
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            List<TopicPartition> partitions = partitions(consumer, historyTopic);
            return partitions.isEmpty() ? Map.of() : consumer.endOffsets(partitions, timeout);
        }
    }

    /**
     * Waits until the history topic holds, at or after {@code from}, the version published for the
     * request {@code requestId} (its records carry the {@link VersionRequest#HEADER}); empty if it
     * does not within {@code wait}.
     */
    public Optional<ModelVersion> awaitRequested(String requestId, Map<TopicPartition, Long> from, Duration wait) {
        byte[] id = requestId.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            List<TopicPartition> partitions = partitions(consumer, historyTopic);
            consumer.assign(partitions);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, from.getOrDefault(tp, 0L));
            }
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Header h = r.headers().lastHeader(VersionRequest.HEADER);
                    if (h != null && Arrays.equals(h.value(), id) && r.value() != null && isModelVersion(r.value())) {
                        return Optional.of(ModelVersionCodec.decode(r.value()));
                    }
                }
            }
            return Optional.empty();
        }
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        return new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        if (partitions == null) {
            return List.of();
        }
        return partitions.stream().map(p -> new TopicPartition(topic, p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    /** Calls {@code sink} with (offset, value) of this model's readable records on {@code topic}, in order. */
    private void read(String topic, BiConsumer<Long, byte[]> sink) {
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            List<TopicPartition> assigned = partitions(consumer, topic);
            if (assigned.isEmpty()) {
                return; // nothing was ever published
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic + " after " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.value() != null && isThisModel(r.key()) && isModelVersion(r.value())) {
                        sink.accept(r.offset(), r.value());
                    }
                }
            }
        }
    }

    private boolean isThisModel(byte[] key) {
        return modelName.equals(new String(key, StandardCharsets.UTF_8));
    }

    private static boolean isModelVersion(byte[] value) {
        try {
            ModelVersionCodec.version(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false; // a foreign record: not ours to interpret
        }
    }
}
