package io.streamgru.app.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka Streams app with {@code processing.guarantee=exactly_once_v2} runs on the test broker
 * and forwards every record exactly once: the single-node broker settings are right for the
 * StreamGRU topology tests that follow.
 */
@WithKafka
class ExactlyOncePassThroughTest {

    private static final int RECORDS = 200;

    @TempDir
    Path stateDir;

    @Test
    void forwardsEveryRecordExactlyOnceUnderExactlyOnceV2(KafkaTestCluster kafka) {
        String input = kafka.newTopic("eos-in", 2);
        String output = kafka.newTopic("eos-out", 2);
        List<KeyValue<String, String>> sent = IntStream.range(0, RECORDS)
                .mapToObj(i -> KeyValue.pair("sensor-" + i % 7, "reading-" + i))
                .toList();
        kafka.produceStrings(input, sent);

        KafkaStreams streams = new KafkaStreams(passThrough(input, output), config(kafka));
        try {
            streams.start();
            // Only committed transactions are visible, so this waits for Streams' commits.
            kafka.consumeStrings(output, RECORDS, Duration.ofSeconds(60));
        } finally {
            // Bounded: a thread stuck in initTransactions() would otherwise hold close() for a minute.
            streams.close(Duration.ofSeconds(10));
        }

        List<ConsumerRecord<String, String>> received =
                kafka.consumeAllStringsUntilIdle(output, Duration.ofSeconds(1));
        assertThat(received).extracting(r -> KeyValue.pair(r.key(), r.value()))
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    private static Topology passThrough(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream(input).to(output);
        return builder.build();
    }

    private Properties config(KafkaTestCluster kafka) {
        Properties config = new Properties();
        config.putAll(kafka.clientConfig());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "eos-pass-through-" + UUID.randomUUID());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // The input is already there: don't wait for more before the first commit.
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return config;
    }
}
