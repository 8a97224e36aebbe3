package io.streamgru.app.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Drops the keys of one learner task's {@code key-state} store that have had no reading for the
 * TTL ({@code learner.key.ttl}), a few at a time: each {@link #sweep} visits at most
 * {@code keysPerSweep} keys, resuming after the last one visited, so a store of a million keys
 * is swept in many small steps between records instead of stalling them. Deletes go through the
 * store, so its changelog gets a tombstone for each and a restore brings back only the live keys.
 *
 * <p>Idle is measured in the task's stream time (the newest record timestamp it has processed)
 * against each key's newest record timestamp, which the timestamped store keeps beside its state:
 * a key expires when no reading of it came in the last TTL of the stream's own time. So a stream
 * that pauses (the app stopped for a weekend, a backlog worked off after an outage, a replay of
 * last year's data) does not lose its keys to the wall clock; only keys the data has moved on from go.
 *
 * <p>A pass over the store is started only when some key can have become idle: the oldest key
 * timestamp the last complete pass kept (and any older one written since) is before the cutoff.
 * So in a steady stream where every key reads often, sweeping costs nothing after its first pass.
 * Entries without a timestamp (written by a release before the timestamped store: Kafka Streams
 * upgrades such a store in place and gives its old entries none) are stamped with the stream time
 * when first visited, so their TTL counts from the upgrade.
 */
final class IdleKeyExpiry {

    /** Keys a sweep visits at most: at one sweep a second, a pass over 1 M keys takes about 8 minutes. */
    static final int KEYS_PER_SWEEP = 2_000;

    private final KeyValueStore<String, ValueAndTimestamp<byte[]>> store;
    private final long ttlMs;
    private final int keysPerSweep;
    private final Consumer<String> expired;
    /** The last key the current pass visited; null between passes. */
    private String resumeAfter;
    private boolean passOpen;
    /** Oldest key timestamp the current pass kept. */
    private long passOldest = Long.MAX_VALUE;
    /** Oldest timestamp written since the current (or next) pass started: such a key may be behind the cursor. */
    private long oldestWritten = Long.MAX_VALUE;
    /** No key is older than this: a new pass is worth starting only when the cutoff reaches it. */
    private long oldestKnown = Long.MIN_VALUE;

    /**
     * @param expired hears each key dropped (metrics, the dashboard), after its delete
     */
    IdleKeyExpiry(KeyValueStore<String, ValueAndTimestamp<byte[]>> store, long ttlMs, int keysPerSweep,
                  Consumer<String> expired) {
        if (ttlMs <= 0) {
            throw new IllegalArgumentException("a TTL must be positive, got " + ttlMs + " ms");
        }
        this.store = store;
        this.ttlMs = ttlMs;
        this.keysPerSweep = keysPerSweep;
        this.expired = expired;
    }

    /** Whether a key last read at {@code keyTime} has been idle for the TTL at {@code streamTime}. */
    boolean isIdle(long keyTime, long streamTime) {
        return keyTime >= 0 && streamTime >= 0 && keyTime <= streamTime - ttlMs;
    }

    /** Notes a key written with {@code timestamp}: it may sit behind the current pass's cursor. */
    void written(long timestamp) {
        if (timestamp < oldestWritten) {
            oldestWritten = timestamp;
        }
    }

    /**
     * Visits up to {@code keysPerSweep} keys (continuing the current pass, or starting one if a key
     * can be idle at {@code streamTime}) and deletes the idle ones.
     *
     * @param streamTime the task's stream time; negative (none yet) does nothing
     * @return the keys deleted
     */
    int sweep(long streamTime) {
        if (streamTime < 0) {
            return 0;
        }
        long cutoff = streamTime - ttlMs;
        if (!passOpen) {
            if (Math.min(oldestKnown, oldestWritten) > cutoff) {
                return 0;
            }
            passOpen = true;
            passOldest = Long.MAX_VALUE;
            oldestWritten = Long.MAX_VALUE;
        }
        List<String> idle = new ArrayList<>();
        List<KeyValue<String, ValueAndTimestamp<byte[]>>> unstamped = new ArrayList<>();
        boolean passDone;
        // Deleted after the iterator is closed: a store's iterators do not promise to see their own writes.
        try (KeyValueIterator<String, ValueAndTimestamp<byte[]>> it = resumeAfter == null ? store.all()
                : store.range(resumeAfter, null)) {
            int visited = 0;
            while (visited < keysPerSweep && it.hasNext()) {
                KeyValue<String, ValueAndTimestamp<byte[]>> entry = it.next();
                if (entry.key.equals(resumeAfter)) {
                    continue; // range() includes its start, visited by the sweep before
                }
                visited++;
                resumeAfter = entry.key;
                long keyTime = entry.value.timestamp();
                if (keyTime < 0) {
                    unstamped.add(entry);
                    passOldest = Math.min(passOldest, streamTime);
                } else if (isIdle(keyTime, streamTime)) {
                    idle.add(entry.key);
                } else {
                    passOldest = Math.min(passOldest, keyTime);
                }
            }
            passDone = !it.hasNext();
        }
        for (KeyValue<String, ValueAndTimestamp<byte[]>> entry : unstamped) {
            store.put(entry.key, ValueAndTimestamp.make(entry.value.value(), streamTime));
        }
        for (String key : idle) {
            store.delete(key);
            expired.accept(key);
        }
        if (passDone) {
            passOpen = false;
            resumeAfter = null;
            oldestKnown = passOldest;
        }
        return idle.size();
    }
}
