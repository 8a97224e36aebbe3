package io.streamgru.schemas.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A thread-safe map that forgets its least recently used entry beyond a capacity, so a client that
 * sees an unbounded stream of schemas (a bug upstream, or an attack) cannot run out of memory.
 */
final class LruCache<K, V> {

    private final Map<K, V> entries;

    LruCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Optional<V> get(K key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    synchronized void remove(K key) {
        entries.remove(key);
    }

    synchronized int size() {
        return entries.size();
    }
}
