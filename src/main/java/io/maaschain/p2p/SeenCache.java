package io.maaschain.p2p;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded set that forgets its oldest entries: de-duplicates gossip without growing. */
final class SeenCache<T> {
    private final LinkedHashMap<T, Boolean> entries;

    SeenCache(int capacity) {
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<T, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Adds {@code item}; true if it was not there. */
    synchronized boolean add(T item) {
        return entries.put(item, Boolean.TRUE) == null;
    }

    synchronized boolean contains(T item) {
        return entries.containsKey(item);
    }

    synchronized void remove(T item) {
        entries.remove(item);
    }

    synchronized int size() {
        return entries.size();
    }
}
