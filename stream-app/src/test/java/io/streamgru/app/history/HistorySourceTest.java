package io.streamgru.app.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.app.input.InputException;
import io.streamgru.app.input.InputFields;
import io.streamgru.app.input.InvalidRecordException;
import io.streamgru.app.input.JsonRecordDecoder;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** Reading a topic range back in event-time order, on a real broker. */
@WithKafka
class HistorySourceTest {

    private static final JsonRecordDecoder DECODER =
            new JsonRecordDecoder(InputFields.of(null, "ts", List.of("load"), "temperature"));

    /**
     * {@code keys} sensors, {@code steps} readings each; the readings of one step share their event
     * time (ties, broken by topic, partition and offset), so each partition is in event-time order
     * and the merge must be too.
     */
    private static List<KeyValue<byte[], byte[]>> readings(int keys, int steps) {
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < keys; k++) {
                long ts = 1_000_000L + t * 1000L;
                records.add(KeyValue.pair(("sensor-" + k).getBytes(StandardCharsets.UTF_8),
                        String.format(Locale.ROOT, "{\"load\":%.4f,\"temperature\":%.4f,\"ts\":%d}",
                                Math.sin(0.1 * t + k), 20 + Math.cos(0.1 * t), ts).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return records;
    }

    private static List<String> readAll(HistorySource source) {
        List<String> out = new ArrayList<>();
        HistoryRecord r = new HistoryRecord(1);
        HistoryRecord previous = null;
        while (source.next(r)) {
            if (previous != null) {
                assertThat(HistoryRecord.compare(previous, r)).as("merge order").isNegative();
            } else {
                previous = new HistoryRecord(1);
            }
            previous.copyFrom(r);
            out.add(r.topic() + "/" + r.partition() + "@" + r.offset() + " " + r.seriesId() + " " + r.eventTime());
        }
        return out;
    }

    @Test
    void mergesPartitionsInEventTimeOrderAndSkipsInvalidRecordsWithTheirReason(KafkaTestCluster kafka) {
        String topic = kafka.newTopic("hist", 3);
        List<KeyValue<byte[], byte[]>> sent = new ArrayList<>(readings(5, 300));
        sent.add(150, KeyValue.pair("sensor-1".getBytes(StandardCharsets.UTF_8),
                "not json".getBytes(StandardCharsets.UTF_8)));
        sent.add(KeyValue.pair("sensor-2".getBytes(StandardCharsets.UTF_8),
                "{\"load\":1,\"ts\":5}".replace("\"load\":1", "\"temperature\":1").getBytes(StandardCharsets.UTF_8)));
        kafka.produce(topic, sent);
        Map<String, Object> config = kafka.clientConfig();

        HistoryBounds bounds = HistorySource.resolve(config, List.of(topic), HistoryRange.ALL);
        assertThat(bounds.records()).isEqualTo(sent.size());
        List<String> first;
        try (HistorySource source = new HistorySource(config, bounds, DECODER, 1)) {
            first = readAll(source);
            assertThat(source.invalid().total()).isEqualTo(2);
            assertThat(source.invalid().counts()).containsEntry(InvalidRecordException.Reason.CORRUPT, 1L)
                    .containsEntry(InvalidRecordException.Reason.MISSING_FIELD, 1L);
            assertThat(source.remaining()).isZero();
            assertThat(source.positions()).isEqualTo(bounds.end());
        }
        assertThat(first).hasSize(sent.size() - 2).doesNotHaveDuplicates();
        // The same range read again is the same sequence, however the fetches were batched.
        try (HistorySource again = new HistorySource(config, bounds, DECODER, 1)) {
            assertThat(readAll(again)).isEqualTo(first);
        }
    }

    @Test
    void continuesFromSavedPositionsWithTheSameSequence(KafkaTestCluster kafka) {
        String topic = kafka.newTopic("hist-resume", 2);
        kafka.produce(topic, readings(4, 200));
        Map<String, Object> config = kafka.clientConfig();
        HistoryBounds bounds = HistorySource.resolve(config, List.of(topic), HistoryRange.ALL);
        List<String> whole;
        try (HistorySource source = new HistorySource(config, bounds, DECODER, 1)) {
            whole = readAll(source);
        }
        List<String> resumed = new ArrayList<>();
        HistoryBounds saved;
        try (HistorySource source = new HistorySource(config, bounds, DECODER, 1)) {
            HistoryRecord r = new HistoryRecord(1);
            for (int i = 0; i < 333 && source.next(r); i++) {
                resumed.add(r.topic() + "/" + r.partition() + "@" + r.offset() + " " + r.seriesId() + " " + r.eventTime());
            }
            saved = new HistoryBounds(source.positions(), bounds.end());
        }
        try (HistorySource source = new HistorySource(config, saved, DECODER, 1)) {
            resumed.addAll(readAll(source));
        }
        assertThat(resumed).isEqualTo(whole);

        // Read ahead on another thread: the same sequence, and positions as of the records taken.
        List<String> prefetched = new ArrayList<>();
        try (PrefetchingHistory ahead = new PrefetchingHistory(new HistorySource(config, bounds, DECODER, 1), 1)) {
            HistoryRecord r = new HistoryRecord(1);
            for (int i = 0; i < 333 && ahead.next(r); i++) {
                prefetched.add(r.topic() + "/" + r.partition() + "@" + r.offset() + " " + r.seriesId() + " " + r.eventTime());
            }
            assertThat(ahead.positions()).isEqualTo(saved.start());
            while (ahead.next(r)) {
                prefetched.add(r.topic() + "/" + r.partition() + "@" + r.offset() + " " + r.seriesId() + " " + r.eventTime());
            }
            assertThat(ahead.remaining()).isZero();
        }
        assertThat(prefetched).isEqualTo(whole);
    }

    @Test
    void explicitOffsetsAndTimesSelectARange(KafkaTestCluster kafka) {
        String topic = kafka.newTopic("hist-range", 2);
        kafka.produce(topic, readings(4, 50));
        Map<String, Object> config = kafka.clientConfig();
        HistoryBounds all = HistorySource.resolve(config, List.of(topic), HistoryRange.ALL);
        TopicPartition p0 = new TopicPartition(topic, 0);
        HistoryBounds some = HistorySource.resolve(config, List.of(topic),
                HistoryRange.parse(null, null, topic + ":0:10", Clock.systemUTC()));
        assertThat(some.start().get(p0)).isEqualTo(10L);
        assertThat(some.records()).isEqualTo(all.records() - 10);
        // Every record was written a moment ago: a day back reads all, a time in the future nothing.
        assertThat(HistorySource.resolve(config, List.of(topic),
                HistoryRange.parse("1d", null, null, Clock.systemUTC())).records()).isEqualTo(all.records());
        assertThat(HistorySource.resolve(config, List.of(topic),
                HistoryRange.parse("2999-01-01T00:00:00Z", null, null, Clock.systemUTC())).records()).isZero();
        assertThatThrownBy(() -> HistorySource.resolve(config, List.of(topic),
                HistoryRange.parse(null, null, topic + ":7:0", Clock.systemUTC())))
                .isInstanceOf(InputException.class).hasMessageContaining("not a partition");
        assertThatThrownBy(() -> HistorySource.resolve(config, List.of("no-such-topic-" + System.nanoTime()),
                HistoryRange.ALL)).isInstanceOf(InputException.class).hasMessageContaining("not found");
    }

    @Test
    void rangeOptionsParseInstantsDurationsAndOffsets() {
        Clock clock = Clock.fixed(Instant.parse("2026-02-10T00:00:00Z"), ZoneOffset.UTC);
        assertThat(HistoryRange.parse("P7D", "12h", null, clock))
                .isEqualTo(new HistoryRange(Instant.parse("2026-02-03T00:00:00Z"),
                        Instant.parse("2026-02-09T12:00:00Z"), Map.of()));
        assertThat(HistoryRange.parse("2026-01-31T00:00:00Z", null, "a:0:5, b.c:2:0", clock).offsets())
                .containsEntry(new TopicPartition("a", 0), 5L).containsEntry(new TopicPartition("b.c", 2), 0L);
        assertThatThrownBy(() -> HistoryRange.parse("yesterday", null, null, clock))
                .isInstanceOf(InputException.class).hasMessageContaining("--from 'yesterday'");
        assertThatThrownBy(() -> HistoryRange.parse(null, null, "a:0", clock))
                .isInstanceOf(InputException.class).hasMessageContaining("topic:partition:offset");
        assertThatThrownBy(() -> HistoryRange.parse("1h", "2h", null, clock))
                .isInstanceOf(InputException.class).hasMessageContaining("is not before");
    }
}
