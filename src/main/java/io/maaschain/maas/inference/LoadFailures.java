package io.maaschain.maas.inference;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Model versions that failed to load, each retried with exponential back-off: the n-th failure in a row waits
 * {@code base * 2^(n-1)}, at most {@code max}, before the next attempt. Loading reads and hashes the whole artifact,
 * so a model that cannot load must not be retried on every head change.
 *
 * <p>Invariants: a version has a record only while its last attempt failed; the record belongs to one registration
 * ({@link ModelRef}), so a new registration of the same name and version (another digest) starts afresh; a success
 * removes the record.
 */
public final class LoadFailures {
    /** One failing version: the registration that failed, why, how many times in a row, and when to try again. */
    public record Failure(ModelRef ref, String reason, int attempts, Instant firstFailedAt, Instant nextAttemptAt) {}

    private final Duration base;
    private final Duration max;
    private final Map<String, Failure> failing = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    public LoadFailures(Duration base, Duration max) {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < base <= max, got " + base + " and " + max);
        }
        this.base = base;
        this.max = max;
    }

    /** Whether {@code ref} may be loaded at {@code now}: never failed, failed under another registration, or its wait is over. */
    public boolean due(ModelRef ref, Instant now) {
        Failure f = failing.get(ref.id());
        return f == null || !f.ref().equals(ref) || !now.isBefore(f.nextAttemptAt());
    }

    /** Records a failed attempt and returns the record with its next attempt time. */
    public Failure failed(ModelRef ref, String reason, Instant now) {
        total.incrementAndGet();
        return failing.compute(ref.id(), (id, old) -> {
            boolean same = old != null && old.ref().equals(ref);
            int attempts = same ? old.attempts() + 1 : 1;
            Instant first = same ? old.firstFailedAt() : now;
            return new Failure(ref, reason, attempts, first, now.plus(delay(attempts)));
        });
    }

    public void succeeded(ModelRef ref) {
        failing.remove(ref.id());
    }

    /** Forgets a version the node no longer hosts. */
    public void forget(String id) {
        failing.remove(id);
    }

    /** The wait after the {@code attempts}-th failure in a row. */
    Duration delay(int attempts) {
        Duration d = base.multipliedBy(1L << Math.min(attempts - 1, 30));
        return d.compareTo(max) > 0 ? max : d;
    }

    public Optional<Failure> of(String name, String version) {
        return Optional.ofNullable(failing.get(name + "/" + version));
    }

    /** The failing version of {@code name} that the registry names latest, else any failing version of it. */
    public Optional<Failure> ofName(String name, Optional<ModelRef> latest) {
        if (latest.isPresent()) {
            Failure f = failing.get(latest.get().id());
            if (f != null) return Optional.of(f);
        }
        return failing.values().stream().filter(f -> f.ref().name().equals(name)).max(Comparator.comparing(Failure::firstFailedAt));
    }

    public List<Failure> all() {
        return failing.values().stream().sorted(Comparator.comparing(f -> f.ref().id())).toList();
    }

    /** The earliest next attempt among failing versions. */
    public Optional<Instant> nextAttempt() {
        return failing.values().stream().map(Failure::nextAttemptAt).min(Comparator.naturalOrder());
    }

    /** Failed attempts since start (the metric {@code maaschain_model_load_failures_total}). */
    public long total() {
        return total.get();
    }
}
