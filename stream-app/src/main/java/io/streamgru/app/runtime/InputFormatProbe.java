package io.streamgru.app.runtime;

import io.streamgru.app.config.ClientProperties;
import io.streamgru.app.config.ConfigException;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.input.InvalidRecordException;
import io.streamgru.app.input.Observation;
import io.streamgru.app.input.RecordDecoder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the newest few records of each input partition before the application starts: if every
 * one of them is in the other format than {@code input.format} says (Confluent-framed Avro read as
 * JSON, or JSON read as Avro), the setting is wrong, and the start stops with one line that says
 * which format to set, rather than dead-lettering every record. Then it decodes them as the learners
 * will: if every one lacks a field the settings name (a feature or the key field: a typo), the start
 * stops likewise, instead of dead-lettering the whole input and committing past it; if none has a
 * value for the target, a warning says so (they would be forecast but never learned from). A mix is
 * left to the dead-letter topic, record by record; empty topics say nothing.
 */
final class InputFormatProbe {

    private static final Logger LOG = LoggerFactory.getLogger(InputFormatProbe.class);

    /** Records looked at per partition, at most. */
    static final int PER_PARTITION = 5;
    /** The longest the probe waits for them. */
    static final Duration MAX_WAIT = Duration.ofSeconds(3);

    private InputFormatProbe() {
    }

    /**
     * @param decoders the learners' decoders
     * @throws ConfigException if the newest records all look like the other format, or all lack a named field
     */
    static void check(StreamGruConfig config, Supplier<RecordDecoder> decoders) {
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
        checkFields(config, decoders.get(), sample.stream().filter(r -> r.value() != null && r.value().length > 0)
                .toList(), topics);
    }

    /** Decodes the sample as the learners will: a named field missing from every record is a settings mistake. */
    private static void checkFields(StreamGruConfig config, RecordDecoder decoder,
                                    List<ConsumerRecord<byte[], byte[]>> sample, String topics) {
        Observation o = new Observation(config.input().features().size());
        int decoded = 0;
        int withTarget = 0;
        int missingField = 0;
        String missing = null;
        for (ConsumerRecord<byte[], byte[]> r : sample) {
            try {
                decoder.decode(r.topic(), r.key(), r.value(), r.timestamp(), o);
                decoded++;
                if (!Double.isNaN(o.target())) {
                    withTarget++;
                }
            } catch (InvalidRecordException e) {
                if (e.reason() == InvalidRecordException.Reason.MISSING_FIELD) {
                    missingField++;
                    missing = missing == null ? e.oneLineMessage() : missing;
                }
            } catch (RuntimeException e) {
                return; // the registry, not the settings: the learners' own path reports it
            }
        }
        if (missingField == sample.size() && missingField > 0) {
            throw new ConfigException("none of the " + missingField + " newest records of " + topics + " has every field"
                    + " the settings name (" + missing + "): check input.features, input.key and input.target");
        }
        if (decoded > 0 && withTarget == 0) {
            LOG.warn("none of the {} newest records of {} has a value for input.target '{}': such records are forecast"
                    + " but never learned from; check input.target", decoded, topics, config.input().target());
        }
    }

    private static boolean framed(byte[] value) {
        return value.length >= 5 && value[0] == 0;
    }
}
