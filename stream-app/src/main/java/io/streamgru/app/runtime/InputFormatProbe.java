package io.streamgru.app.runtime;

import io.streamgru.app.config.ClientProperties;
import io.streamgru.app.config.ConfigException;
import io.streamgru.app.config.StreamGruConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Looks at the newest few records of each input partition before the application starts: if every
 * one of them is in the other format than {@code input.format} says (Confluent-framed Avro read as
 * JSON, or JSON read as Avro), the setting is wrong, and the start stops with one line that says
 * which format to set, rather than dead-lettering every record. A mix of formats is left to the
 * dead-letter topic, record by record; empty topics say nothing.
 */
final class InputFormatProbe {

    /** Records looked at per partition, at most. */
    static final int PER_PARTITION = 5;
    /** The longest the probe waits for them. */
    static final Duration MAX_WAIT = Duration.ofSeconds(3);

    private InputFormatProbe() {
    }

    /** @throws ConfigException if the newest records all look like the other format */
    static void check(StreamGruConfig config) {
        Map<String, Object> props = new HashMap<>(ClientProperties.consumer(config));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<ConsumerRecord<byte[], byte[]>> sample = new ArrayList<>();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : config.input().topics()) {
                for (PartitionInfo p : consumer.partitionsFor(topic, MAX_WAIT)) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, MAX_WAIT);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, MAX_WAIT);
            long expected = 0;
            for (TopicPartition tp : partitions) {
                long from = Math.max(begin.get(tp), end.get(tp) - PER_PARTITION);
                consumer.seek(tp, from);
                expected += end.get(tp) - from;
            }
            long deadline = System.nanoTime() + MAX_WAIT.toNanos();
            while (expected > 0 && sample.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(sample::add);
                if (partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    break; // some of the range were transaction markers or aborted records
                }
            }
        } finally {
            // Without waiting: a plain close() waits for the fetch the consumer sent ahead after the last records,
            // which the broker holds for fetch.max.wait.ms (500 ms) when no more come: half a second added to every
            // start. This consumer has no group and nothing to commit, so nothing is lost by not waiting.
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
        List<byte[]> values = sample.stream().map(ConsumerRecord::value).filter(v -> v != null && v.length > 0).toList();
        if (values.isEmpty()) {
            return;
        }
        String topics = String.join(", ", config.input().topics());
        if (config.input().format() == StreamGruConfig.Format.JSON && values.stream().allMatch(InputFormatProbe::framed)) {
            throw new ConfigException("input topic(s) " + topics + " look like Confluent-framed Avro (schema id "
                    + ByteBuffer.wrap(values.get(0), 1, 4).getInt() + " in the newest records), not JSON: set "
                    + "input.format: avro (and schema.registry.url)");
        }
        if (config.input().format() == StreamGruConfig.Format.AVRO && values.stream().allMatch(v -> v[0] == '{')) {
            throw new ConfigException("input topic(s) " + topics + " look like JSON (the newest records), not "
                    + "Confluent-framed Avro: set input.format: json");
        }
    }

    private static boolean framed(byte[] value) {
        return value.length >= 5 && value[0] == 0;
    }
}
