package io.maaschain.node.mining;

import io.maaschain.consensus.pow.CompactTarget;
import io.maaschain.consensus.pow.PowSealVerifier;
import io.maaschain.consensus.pow.Sha256dNonceSearch;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.PowSeal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Mines proof-of-work seals on several threads. Each thread searches its own slice of the nonce space [0, 2^63)
 * on the same header template; the first thread to find a nonce stops the others, as does {@link #cancel()}
 * (say, when a better tip arrives and the template is stale). One {@link #mine} at a time.
 */
public final class PowMiner implements AutoCloseable {
    /**
     * Nonces per search call: large enough that re-deriving the midstate per call is noise (2 of 16,384
     * compressions), small enough that the hash counter lags by well under a millisecond of work.
     */
    private static final long CHUNK = 1 << 13;

    private final int threads;
    private final Supplier<Sha256dNonceSearch> searchFactory;
    private final ExecutorService pool;
    private final LongAdder hashes = new LongAdder();
    private final AtomicReference<Job> current = new AtomicReference<>();
    private volatile boolean closed;

    /** One thread per available processor, on the fastest hashing path this JVM allows. */
    public PowMiner() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public PowMiner(int threads) {
        this(threads, Sha256dNonceSearch::create);
    }

    /** {@code searchFactory} is called once per thread per job, e.g. to pin the portable path. */
    public PowMiner(int threads, Supplier<Sha256dNonceSearch> searchFactory) {
        if (threads < 1) throw new IllegalArgumentException("need at least one mining thread, got " + threads);
        this.threads = threads;
        this.searchFactory = Objects.requireNonNull(searchFactory, "searchFactory");
        this.pool = Executors.newFixedThreadPool(threads, daemonThreads());
    }

    public int threads() {
        return threads;
    }

    /** Nonces tried since this miner was created; sample it twice to report hashes per second. */
    public long hashCount() {
        return hashes.sum();
    }

    /**
     * Searches for a nonce meeting the target in the template's seal; the template's own nonce is ignored.
     * Blocks until a seal is found, the nonce space is exhausted, {@link #cancel()} or {@link #close()}.
     * When it returns normally, none of this job's threads is hashing any more.
     *
     * @return the template sealed with the winning nonce, or empty if cancelled, closed or exhausted
     * @throws InterruptedException if the calling thread is interrupted; the job is cancelled first
     */
    public Optional<Header> mine(Header template) throws InterruptedException {
        if (!(template.seal() instanceof PowSeal seal)) {
            throw new IllegalArgumentException("template has no proof-of-work seal");
        }
        BigInteger target = CompactTarget.toTarget(seal.bits());
        Job job = new Job(HeaderCodec.encode(template), target, threads);
        if (closed) return Optional.empty();
        if (!current.compareAndSet(null, job)) throw new IllegalStateException("already mining");
        // close() sets closed before cancelling: if its cancel missed this job, this read sees closed.
        if (closed) job.stop = true;
        try {
            long slice = Long.MAX_VALUE / threads;
            for (int i = 0; i < threads; i++) {
                long from = i * slice;
                submit(job, from, from + slice);
            }
            job.finished.await();
        } catch (InterruptedException e) {
            job.stop = true;
            throw e;
        } finally {
            current.compareAndSet(job, null);
        }
        if (job.failure.get() != null) throw new IllegalStateException("mining thread failed", job.failure.get());
        long nonce = job.winner.get();
        if (nonce == Sha256dNonceSearch.NOT_FOUND) return Optional.empty();
        Header sealed = template.withSeal(new PowSeal(seal.bits(), nonce));
        // The fast path is checked against the plain MessageDigest hash, so a bug there cannot publish a bad block.
        if (!PowSealVerifier.meets(sealed.hash(), target)) {
            throw new IllegalStateException("fast search reported nonce " + nonce + " but the header hash misses the target");
        }
        return Optional.of(sealed);
    }

    /** Stops the job in progress, if any; its {@link #mine} returns empty within well under a millisecond. */
    public void cancel() {
        Job job = current.get();
        if (job != null) job.stop = true;
    }

    /** Cancels any job and stops the threads; waits briefly for them to exit. */
    @Override
    public void close() {
        closed = true;
        cancel();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) pool.shutdownNow();
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void submit(Job job, long from, long to) {
        try {
            pool.execute(() -> work(job, from, to));
        } catch (RejectedExecutionException e) {
            // close() raced with this job: count the slice as done so mine() returns empty.
            job.stop = true;
            job.finished.countDown();
        }
    }

    private void work(Job job, long from, long to) {
        try {
            Sha256dNonceSearch search = searchFactory.get();
            for (long pos = from; pos < to && !job.stop; ) {
                long n = Math.min(CHUNK, to - pos);
                long found = search.search(job.header, job.target, pos, n, job::stopped);
                if (found != Sha256dNonceSearch.NOT_FOUND) {
                    hashes.add(found - pos + 1);
                    job.winner.compareAndSet(Sha256dNonceSearch.NOT_FOUND, found);
                    job.stop = true;
                    return;
                }
                // A chunk cut short by stop is not counted; the counter undercounts by under one chunk.
                if (job.stop) return;
                hashes.add(n);
                pos += n;
            }
        } catch (Throwable t) {
            job.failure.compareAndSet(null, t);
            job.stop = true;
        } finally {
            job.finished.countDown();
        }
    }

    private static final class Job {
        final byte[] header;
        final BigInteger target;
        final CountDownLatch finished;
        final AtomicLong winner = new AtomicLong(Sha256dNonceSearch.NOT_FOUND);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean stop;

        Job(byte[] header, BigInteger target, int threads) {
            this.header = header;
            this.target = target;
            this.finished = new CountDownLatch(threads);
        }

        boolean stopped() {
            return stop;
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "pow-miner-" + n.incrementAndGet());
            // A miner left open must not keep the JVM alive.
            t.setDaemon(true);
            return t;
        };
    }
}
