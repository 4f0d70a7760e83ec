package io.maaschain.maas.inference;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per model version counts of calls as the gateway saw them, for Triton's statistics shape: successes and failures,
 * each with its total gateway time in nanoseconds, and the time of the last call.
 */
public final class ModelStats {
    /** One model version's counters; read without a lock, so a reader may see one call counted before its time. */
    public static final class Counters {
        public final AtomicLong successCount = new AtomicLong();
        public final AtomicLong successNanos = new AtomicLong();
        public final AtomicLong failCount = new AtomicLong();
        public final AtomicLong failNanos = new AtomicLong();
        public final AtomicLong lastInferenceMillis = new AtomicLong();
    }

    private final Map<String, Counters> byId = new ConcurrentHashMap<>();

    /** Counts one answered call of {@code name}/{@code version}. */
    public void record(String name, String version, boolean success, long nanos, long atMillis) {
        Counters c = byId.computeIfAbsent(name + "/" + version, k -> new Counters());
        if (success) {
            c.successCount.incrementAndGet();
            c.successNanos.addAndGet(nanos);
        } else {
            c.failCount.incrementAndGet();
            c.failNanos.addAndGet(nanos);
        }
        c.lastInferenceMillis.accumulateAndGet(atMillis, Math::max);
    }

    public Optional<Counters> of(String name, String version) {
        return Optional.ofNullable(byId.get(name + "/" + version));
    }
}
