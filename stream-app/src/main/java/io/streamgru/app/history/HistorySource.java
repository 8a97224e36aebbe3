package io.streamgru.app.history;

import io.streamgru.app.input.InputException;
import io.streamgru.app.input.InvalidRecordException;
import io.streamgru.app.input.Observation;
import io.streamgru.app.input.RecordDecoder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the history of input topics once, in event-time order: a plain consumer (assigned, not
 * subscribed; read_committed; no consumer group) from each partition's start offset up to its end
 * offset captured at the start, decoding records with the application's decoder. Partitions are
 * merged k-way over small per-partition buffers (the next record of every partition is known
 * before one is handed out), ordered by (event time, topic, partition, offset): the same topic
 * range always gives the same sequence, however the fetches were batched. Within a partition the
 * order is the offset order. Memory is bounded: a partition whose buffer is full is paused.
 * Invalid records are skipped and counted ({@link #invalid()}), never fatal.
 *
 * <p>Not thread-safe.
 */
public final class HistorySource implements AutoCloseable {

    /** Buffered records per partition before it is paused. */
    static final int MAX_BUFFERED = 2_000;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long STALL_TIMEOUT_MS = 120_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final RecordDecoder decoder;
    private final HistoryBounds bounds;
    private final Observation observation;
    private final InvalidRecords invalid = new InvalidRecords();
    private final Map<TopicPartition, PartitionBuffer> buffers = new LinkedHashMap<>();
    private final PriorityQueue<PartitionBuffer> heads =
            new PriorityQueue<>((a, b) -> HistoryRecord.compare(a.head, b.head));
    private final List<PartitionBuffer> waiting = new ArrayList<>();
    private long emitted;
    private long lastPosition;
    private int lastIndex;

    /** Per partition: raw records fetched and not yet handed out; the next valid one decoded as head. */
    private final class PartitionBuffer {
        final TopicPartition tp;
        final int index;
        final long end;
        final ArrayDeque<ConsumerRecord<byte[], byte[]>> raw = new ArrayDeque<>();
        final HistoryRecord head;
        boolean hasHead;
        boolean paused;
        boolean done;

        PartitionBuffer(TopicPartition tp, int index, long end, int features) {
            this.tp = tp;
            this.index = index;
            this.end = end;
            this.head = new HistoryRecord(features);
        }

        /** Decodes buffered records until a valid one is the head (invalid ones are counted here, in order). */
        void advance() {
            hasHead = false;
            while (!raw.isEmpty()) {
                ConsumerRecord<byte[], byte[]> r = raw.pollFirst();
                try {
                    decoder.decode(r.topic(), r.key(), r.value(), r.timestamp(), observation);
                } catch (InvalidRecordException e) {
                    invalid.add(e, r.topic(), r.partition(), r.offset());
                    continue;
                }
                head.set(r.topic(), r.partition(), r.offset(), r.timestamp(), observation.seriesId(),
                        observation.eventTime(), observation.features(), observation.target());
                hasHead = true;
                return;
            }
        }

        /** The offset of the first record not handed out yet. */
        long position() {
            if (hasHead) {
                return head.offset();
            }
            return Math.min(end, consumer.position(tp));
        }

        boolean finished() {
            return !hasHead && raw.isEmpty() && consumer.position(tp) >= end;
        }
    }

    /**
     * Reads {@code bounds} of the topics.
     *
     * @param consumerConfig Kafka client settings (bootstrap servers, security, …); group, deserializers,
     *                       isolation and offset commits are set here
     * @param features       features per record (the decoder's)
     */
    public HistorySource(Map<String, Object> consumerConfig, HistoryBounds bounds, RecordDecoder decoder,
                         int features) {
        this.consumer = new KafkaConsumer<>(config(consumerConfig));
        this.decoder = decoder;
        this.bounds = bounds;
        this.observation = new Observation(features);
        try {
            consumer.assign(bounds.start().keySet());
            for (Map.Entry<TopicPartition, Long> e : bounds.start().entrySet()) {
                TopicPartition tp = e.getKey();
                consumer.seek(tp, e.getValue());
                PartitionBuffer b = new PartitionBuffer(tp, buffers.size(), bounds.end().get(tp), features);
                buffers.put(tp, b);
                if (e.getValue() < b.end) {
                    waiting.add(b);
                } else {
                    b.done = true;
                    pause(b);
                }
            }
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** The consumer settings a history reader uses on top of the given ones (bootstrap servers, security, …). */
    static Map<String, Object> config(Map<String, Object> consumerConfig) {
        Map<String, Object> c = new HashMap<>(consumerConfig);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "streamgru-history-" + System.nanoTime());
        return c;
    }

    /**
     * Resolves a range over all partitions of {@code topics} to concrete offsets, capturing the end
     * offsets now (read_committed: the last stable offsets). Fails clearly on a missing topic.
     */
    public static HistoryBounds resolve(Map<String, Object> consumerConfig, List<String> topics, HistoryRange range) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config(consumerConfig))) {
            Set<TopicPartition> partitions = new TreeSet<>(HistoryBounds::compare);
            for (String topic : topics) {
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
                if (infos == null || infos.isEmpty()) {
                    throw new InputException("input topic '" + topic + "' not found");
                }
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            for (TopicPartition tp : range.offsets().keySet()) {
                if (!partitions.contains(tp)) {
                    throw new InputException("--offsets names " + tp.topic() + ":" + tp.partition()
                            + ", which is not a partition of the input topics " + topics);
                }
            }
            c.assign(partitions); // offsets of assigned partitions: no "no longer assigned" warnings
            Map<TopicPartition, Long> earliest = c.beginningOffsets(partitions);
            Map<TopicPartition, Long> latest = c.endOffsets(partitions);
            Map<TopicPartition, Long> start = new HashMap<>(earliest);
            Map<TopicPartition, Long> end = new HashMap<>(latest);
            if (range.from() != null) {
                at(c, partitions, range.from().toEpochMilli(), latest, start);
            }
            if (range.to() != null) {
                at(c, partitions, range.to().toEpochMilli(), latest, end);
            }
            range.offsets().forEach((tp, offset) -> start.put(tp, offset));
            for (TopicPartition tp : partitions) {
                long s = Math.max(earliest.get(tp), Math.min(start.get(tp), latest.get(tp)));
                start.put(tp, s);
                end.put(tp, Math.max(s, Math.min(end.get(tp), latest.get(tp))));
            }
            return new HistoryBounds(start, end);
        }
    }

    /** The first offset at or after {@code time} in each partition (the end where there is none). */
    private static void at(KafkaConsumer<byte[], byte[]> c, Set<TopicPartition> partitions, long time,
                           Map<TopicPartition, Long> latest, Map<TopicPartition, Long> into) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, time));
        Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = found.get(tp);
            into.put(tp, o == null ? latest.get(tp) : o.offset());
        }
    }

    public HistoryBounds bounds() {
        return bounds;
    }

    /**
     * Fills {@code into} with the next record in merge order.
     *
     * @return false when every partition has been read to its end offset
     */
    public boolean next(HistoryRecord into) {
        fill();
        PartitionBuffer b = heads.poll();
        if (b == null) {
            return false;
        }
        into.copyFrom(b.head);
        b.advance();
        lastIndex = b.index;
        lastPosition = b.position();
        if (b.paused && !b.done && b.raw.size() < MAX_BUFFERED / 2) {
            consumer.resume(List.of(b.tp));
            b.paused = false;
        }
        if (b.hasHead) {
            heads.add(b);
        } else {
            waiting.add(b);
        }
        emitted++;
        return true;
    }

    /** Polls until every partition that is not finished has a head record. */
    private void fill() {
        long lastProgress = System.currentTimeMillis();
        while (true) {
            waiting.removeIf(b -> {
                if (!b.hasHead) {
                    b.advance();
                }
                if (b.hasHead) {
                    heads.add(b);
                    return true;
                }
                if (b.finished()) {
                    b.done = true;
                    pause(b);
                    return true;
                }
                return false;
            });
            if (waiting.isEmpty()) {
                return;
            }
            for (PartitionBuffer b : waiting) {
                if (b.paused) {
                    consumer.resume(List.of(b.tp));
                    b.paused = false;
                }
            }
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);
            if (!polled.isEmpty()) {
                lastProgress = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - lastProgress > STALL_TIMEOUT_MS) {
                throw new IllegalStateException("no records arrived for " + STALL_TIMEOUT_MS / 1000
                        + " s from " + waiting.stream().map(b -> b.tp.toString()).toList()
                        + " before their end offsets: is the broker reachable?");
            }
            for (TopicPartition tp : polled.partitions()) {
                PartitionBuffer b = buffers.get(tp);
                for (ConsumerRecord<byte[], byte[]> r : polled.records(tp)) {
                    if (r.offset() < b.end) {
                        b.raw.addLast(r);
                    }
                }
                if (b.raw.size() >= MAX_BUFFERED) {
                    pause(b);
                }
            }
        }
    }

    private void pause(PartitionBuffer b) {
        if (!b.paused) {
            consumer.pause(List.of(b.tp));
            b.paused = true;
        }
    }

    /** The partitions in {@link HistoryBounds} order: what {@link #lastIndex()} counts in. */
    public List<TopicPartition> partitions() {
        return List.copyOf(buffers.keySet());
    }

    /** The index (in {@link #partitions()}) of the partition of the record {@link #next} handed out last. */
    public int lastIndex() {
        return lastIndex;
    }

    /**
     * The position of that partition right after that record: the offset of its next valid record
     * (invalid ones in between were counted already), or where fetching stands.
     */
    public long lastPosition() {
        return lastPosition;
    }

    /** Per partition, the offset of the first record not handed out yet (what a checkpoint saves). */
    public Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> m = new LinkedHashMap<>();
        buffers.forEach((tp, b) -> m.put(tp, b.position()));
        return m;
    }

    /** Records (incl. invalid ones, markers) between the current positions and the end offsets. */
    public long remaining() {
        long n = 0;
        for (PartitionBuffer b : buffers.values()) {
            n += Math.max(0, b.end - b.position());
        }
        return n;
    }

    /** Valid records handed out so far by this reader. */
    public long emitted() {
        return emitted;
    }

    public InvalidRecords invalid() {
        return invalid;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
