package io.maaschain.maas.access;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Refuses stale and replayed signed requests: a timestamp must be within {@code windowMillis} of the node's clock and
 * not older than the node's start (the cache of seen nonces is not kept across restarts), and a (key, nonce) pair is
 * accepted once while its timestamp is in the window. The cache is bounded: when it is full of live nonces, new
 * signed requests are refused (429) rather than forgetting a nonce that could then be replayed.
 */
public final class ReplayGuard {
    public static final long DEFAULT_WINDOW_MILLIS = 5 * 60_000;
    public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

    private record Seen(Hash id, long expiresAt) {}

    private final long windowMillis;
    private final int maxEntries;
    private final long notBeforeMillis;
    private final Map<Hash, Long> seen = new HashMap<>();
    private final PriorityQueue<Seen> byExpiry = new PriorityQueue<>((a, b) -> Long.compare(a.expiresAt, b.expiresAt));

    /** @param startMillis the node's start time: requests signed before it are refused as stale */
    public ReplayGuard(long windowMillis, int maxEntries, long startMillis) {
        if (windowMillis <= 0 || maxEntries <= 0) throw new IllegalArgumentException("window and size must be positive");
        this.windowMillis = windowMillis;
        this.maxEntries = maxEntries;
        this.notBeforeMillis = startMillis;
    }

    public ReplayGuard(long startMillis) {
        this(DEFAULT_WINDOW_MILLIS, DEFAULT_MAX_ENTRIES, startMillis);
    }

    public long windowMillis() {
        return windowMillis;
    }

    /** Checks the timestamp alone, before any signature work. */
    public void checkFresh(long timestampMillis, long nowMillis) {
        if (Math.abs(nowMillis - timestampMillis) > windowMillis) {
            throw AccessDenied.unauthenticated("STALE_REQUEST", "timestamp " + timestampMillis + " is more than " + windowMillis
                    + " ms from the node's clock (" + nowMillis + "); sign the request again");
        }
        if (timestampMillis < notBeforeMillis) {
            throw AccessDenied.unauthenticated("STALE_REQUEST", "the request was signed before this node started; sign it again");
        }
    }

    /** Records (key, nonce) once; a second use within the window is a replay. Call only after the signature verified. */
    public synchronized void record(PublicKey key, String nonce, long timestampMillis, long nowMillis) {
        evictExpired(nowMillis);
        Hash id = Sha256.tagged(0x00, key.toBytes(), nonce.getBytes(StandardCharsets.UTF_8));
        if (seen.containsKey(id)) throw AccessDenied.unauthenticated("REPLAYED", "nonce " + nonce + " was already used by this key");
        if (seen.size() >= maxEntries) {
            throw new AccessDenied(429, "REPLAY_CACHE_FULL", "too many signed requests within the replay window; retry later");
        }
        long expires = Math.max(timestampMillis, nowMillis) + windowMillis;
        seen.put(id, expires);
        byExpiry.add(new Seen(id, expires));
    }

    private void evictExpired(long nowMillis) {
        while (!byExpiry.isEmpty() && byExpiry.peek().expiresAt < nowMillis) {
            Seen s = byExpiry.poll();
            seen.remove(s.id, s.expiresAt);
        }
    }

    public synchronized int size() {
        return seen.size();
    }
}
