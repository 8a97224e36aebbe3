package io.streamgru.app.history;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link HistorySource} read ahead on its own thread: fetching, decoding and merging run there,
 * in batches handed over through a small queue, while the caller trains on the records before. The
 * sequence is the source's, unchanged. Positions ({@link #positions}) and invalid-record counts
 * ({@link #invalidCounts}) are the caller's: as of the last record it took, not as far as the
 * reader has got, so a checkpoint taken from them resumes exactly.
 *
 * <p>One consumer thread (the caller) and the reader thread; memory: {@value #BATCHES} batches of
 * {@value #BATCH} records beside the source's buffers.
 */
public final class PrefetchingHistory implements AutoCloseable {

    static final int BATCH = 1024;
    /**
     * Batches in flight: ~8k records, ~35 ms of training at H = 32, enough to ride out the reader's
     * pauses for a fetch (with 4 the training thread waited ~70 ms per 200k records, 7 % of the
     * replay; with 8, 0-15 ms; more made the training thread slower: a larger working set).
     */
    static final int BATCHES = 8;

    /** A batch of records with, per record, its partition's index and its position right after it. */
    private static final class Batch {
        final HistoryRecord[] records;
        final int[] index = new int[BATCH];
        final long[] position = new long[BATCH];
        int size;
        boolean last;

        Batch(int features) {
            records = new HistoryRecord[BATCH];
            for (int i = 0; i < BATCH; i++) {
                records[i] = new HistoryRecord(features);
            }
        }
    }

    private final HistorySource source;
    private final List<TopicPartition> partitions;
    private final long[] end;
    private final long[] positions;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
    private final Thread reader;
    /** The reader's series ids, one instance per id (the reader thread's only). */
    private final Map<String, String> seriesIds = new HashMap<>();
    private volatile boolean closing;
    private volatile RuntimeException failure;
    private Batch current;
    private int next;
    private boolean finished;

    /** Starts reading {@code source} ahead (the source belongs to this object from now on). */
    public PrefetchingHistory(HistorySource source, int features) {
        this.source = source;
        this.partitions = source.partitions();
        this.end = new long[partitions.size()];
        this.positions = new long[partitions.size()];
        for (int i = 0; i < partitions.size(); i++) {
            positions[i] = source.bounds().start().get(partitions.get(i));
            end[i] = source.bounds().end().get(partitions.get(i));
        }
        for (int i = 0; i < BATCHES; i++) {
            free.add(new Batch(features));
        }
        this.reader = new Thread(this::readAhead, "streamgru-history-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAhead() {
        try {
            boolean more = true;
            while (more && !closing) {
                Batch b = free.take();
                b.size = 0;
                while (b.size < BATCH && (more = source.next(b.records[b.size]))) {
                    b.records[b.size].shareSeriesId(seriesIds);
                    b.index[b.size] = source.lastIndex();
                    b.position[b.size] = source.lastPosition();
                    b.size++;
                }
                b.last = !more;
                full.put(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            Batch poison = new Batch(0);
            poison.last = true;
            full.offer(poison);
        }
    }

    /**
     * Fills {@code into} with the next record.
     *
     * @return false at the end
     * @throws RuntimeException what the reader failed with (e.g. the broker unreachable)
     */
    public boolean next(HistoryRecord into) {
        while (current == null || next == current.size) {
            if (finished) {
                return false;
            }
            if (current != null) {
                boolean last = current.last;
                free.add(current);
                current = null;
                if (last) {
                    finished = true;
                    if (failure != null) {
                        throw failure;
                    }
                    return false;
                }
            }
            try {
                current = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for history records", e);
            }
            next = 0;
            if (current.size == 0 && failure != null && current.last) {
                finished = true;
                throw failure;
            }
        }
        int i = next++;
        into.copyFrom(current.records[i]);
        positions[current.index[i]] = current.position[i];
        return true;
    }

    public HistoryBounds bounds() {
        return source.bounds();
    }

    /** Per partition, the offset of the first record the caller has not taken yet. */
    public Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < positions.length; i++) {
            m.put(partitions.get(i), positions[i]);
        }
        return m;
    }

    /** Records between the caller's positions and the end offsets. */
    public long remaining() {
        long n = 0;
        for (int i = 0; i < positions.length; i++) {
            n += Math.max(0, end[i] - positions[i]);
        }
        return n;
    }

    /** The invalid records (counts per reason as of the caller's positions: {@link #invalidCounts}). */
    public InvalidRecords invalid() {
        return source.invalid();
    }

    /** Invalid records before the caller's positions, per reason (what a checkpoint saves). */
    public Map<io.streamgru.app.input.InvalidRecordException.Reason, Long> invalidCounts() {
        return source.invalid().countsBefore(positions());
    }

    /** Stops the reader and closes the source. */
    @Override
    public void close() {
        closing = true;
        reader.interrupt();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
