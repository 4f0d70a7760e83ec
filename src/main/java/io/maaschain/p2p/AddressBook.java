package io.maaschain.p2p;

import io.maaschain.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Addresses this node may dial: bootnodes and manually added peers (kept for good), plus addresses learned by peer
 * exchange (bounded; dropped after repeated failures). Each address waits out an exponential backoff after a failed
 * dial or a disconnect before it is tried again.
 */
final class AddressBook {
    static final int MAX_ENTRIES = 1000;
    private static final int MAX_FAILURES_LEARNED = 8;

    private static final class Entry {
        final PeerAddress address;
        boolean persistent;
        PublicKey id;
        int failures;
        long nextAttemptMillis;

        Entry(PeerAddress address, boolean persistent) {
            this.address = address;
            this.persistent = persistent;
        }
    }

    private final long backoffBaseMillis;
    private final long backoffMaxMillis;
    private final Random random;
    private final Map<PeerAddress, Entry> entries = new LinkedHashMap<>();
    private final Set<PeerAddress> self = new HashSet<>();

    AddressBook(long backoffBaseMillis, long backoffMaxMillis, Random random) {
        this.backoffBaseMillis = backoffBaseMillis;
        this.backoffMaxMillis = backoffMaxMillis;
        this.random = random;
    }

    /** Adds an address (learned ones only while there is room); a persistent add upgrades an existing entry. */
    synchronized void add(PeerAddress address, PublicKey id, boolean persistent) {
        if (self.contains(address)) return;
        Entry e = entries.get(address);
        if (e == null) {
            if (!persistent && entries.size() >= MAX_ENTRIES && !evictOneLearned()) return;
            e = new Entry(address, persistent);
            entries.put(address, e);
        }
        e.persistent |= persistent;
        if (id != null) e.id = id;
    }

    private boolean evictOneLearned() {
        Entry worst = null;
        for (Entry e : entries.values()) if (!e.persistent && (worst == null || e.failures > worst.failures)) worst = e;
        if (worst == null) return false;
        entries.remove(worst.address);
        return true;
    }

    /** The address turned out to be this node itself: never dial it again. */
    synchronized void markSelf(PeerAddress address) {
        self.add(address);
        entries.remove(address);
    }

    /**
     * Up to {@code max} addresses due for a dial, skipping those already being dialed or connected and those whose
     * known key is excluded (connected under another address, or banned).
     */
    synchronized List<PeerAddress> dueForDial(long now, int max, Set<PeerAddress> busy, Predicate<PublicKey> excluded) {
        List<PeerAddress> out = new ArrayList<>();
        List<Entry> shuffled = new ArrayList<>(entries.values());
        Collections.shuffle(shuffled, random);
        shuffled.sort((a, b) -> Boolean.compare(b.persistent, a.persistent));
        for (Entry e : shuffled) {
            if (out.size() >= max) break;
            if (e.nextAttemptMillis > now || busy.contains(e.address)) continue;
            if (e.id != null && excluded.test(e.id)) continue;
            out.add(e.address);
        }
        return out;
    }

    /** A dial is under way: hold the address until it ends. */
    synchronized void onDialStarted(PeerAddress address, long now) {
        Entry e = entries.get(address);
        if (e != null) e.nextAttemptMillis = now + backoffMaxMillis;
    }

    synchronized void onDialFailed(PeerAddress address, long now) {
        Entry e = entries.get(address);
        if (e == null) return;
        e.failures++;
        if (!e.persistent && e.failures >= MAX_FAILURES_LEARNED) {
            entries.remove(address);
            return;
        }
        e.nextAttemptMillis = now + backoff(e.failures);
    }

    synchronized void onConnected(PeerAddress address, PublicKey id) {
        Entry e = entries.get(address);
        if (e == null) return;
        e.failures = 0;
        e.id = id;
    }

    /** A connection that had authenticated ended: redial after the base delay (and longer if it keeps dropping). */
    synchronized void onDisconnected(PeerAddress address, long now) {
        Entry e = entries.get(address);
        if (e == null) return;
        e.nextAttemptMillis = now + backoff(e.failures + 1);
    }

    /** Delay after {@code failures} consecutive failures: base * 2^(failures-1), capped, with +-20% jitter. */
    long backoff(int failures) {
        double exp = backoffBaseMillis * Math.pow(2, Math.min(30, Math.max(0, failures - 1)));
        double capped = Math.min(backoffMaxMillis, exp);
        return (long) (capped * (0.8 + 0.4 * random.nextDouble()));
    }

    synchronized List<PeerAddress> sample(int max) {
        List<PeerAddress> all = new ArrayList<>(entries.keySet());
        Collections.shuffle(all, random);
        return all.subList(0, Math.min(max, all.size()));
    }

    synchronized PublicKey idOf(PeerAddress address) {
        Entry e = entries.get(address);
        return e == null ? null : e.id;
    }

    synchronized int size() {
        return entries.size();
    }
}
