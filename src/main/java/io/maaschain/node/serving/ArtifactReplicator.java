package io.maaschain.node.serving;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import io.maaschain.maas.artifact.ArtifactException;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.artifact.ArtifactUpload;
import io.maaschain.maas.artifact.ChunkManifest;
import io.maaschain.p2p.ArtifactFetch;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches missing artifacts from peers into the local store (docs/p2p.md, "Artifacts"), for the models this node hosts.
 *
 * <p>One job per digest, retried with backoff until the artifact is stored or no longer wanted. An attempt:
 * <ol>
 *   <li>asks every connected peer for its manifest; keeps those that decode, name the digest asked for and the size
 *       the chain registered (a manifest for another digest costs the peer), and groups peers by identical manifest;
 *       the largest group becomes the sources, so every source vouches for the chunk hashes it is checked against;</li>
 *   <li>resumes the store's upload at {@link ArtifactStore#resumeOffset} (bytes a previous attempt or run made durable);</li>
 *   <li>fetches chunks in pieces of at most 1 MiB, each chunk from one source, several chunks in parallel across the
 *       sources with a few pieces in flight per peer; hashes every chunk against the manifest before appending it, in
 *       order, to the upload. A chunk that does not match costs its sender, which stops being a source, and the chunk
 *       is fetched from another. At most {@code maxBufferedBytes} of chunks (at least one) are in memory at once, in
 *       reused buffers: memory does not grow with the artifact;</li>
 *   <li>completes the upload, where the store checks the whole-file digest. If it fails although every chunk matched,
 *       the manifest was false: its senders are penalised and it is not used again.</li>
 * </ol>
 * Progress is logged every {@code progressInterval}. Listeners hear of each artifact stored.
 */
public final class ArtifactReplicator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactReplicator.class);

    /**
     * @param piecesPerPeer    piece requests in flight per source peer
     * @param maxSources       most peers one attempt fetches from
     * @param maxBufferedBytes chunks held in memory at once (fetched, not yet appended), in bytes; at least one chunk
     * @param retryMin         first delay before retrying a failed attempt; doubles per failure without progress
     * @param retryMax         longest delay between attempts
     * @param progressInterval how often a running fetch logs its progress
     * @param concurrentJobs   artifacts fetched at the same time
     */
    public record Settings(int piecesPerPeer, int maxSources, long maxBufferedBytes, Duration retryMin, Duration retryMax,
                           Duration progressInterval, int concurrentJobs) {
        public static final Settings DEFAULT = new Settings(4, 8, 32L << 20, Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofSeconds(5), 2);

        public Settings {
            if (piecesPerPeer < 1 || maxSources < 1 || maxBufferedBytes < 1 || concurrentJobs < 1) {
                throw new IllegalArgumentException("replicator settings must be positive");
            }
            Objects.requireNonNull(retryMin);
            Objects.requireNonNull(retryMax);
            Objects.requireNonNull(progressInterval);
            if (retryMin.isNegative() || retryMax.compareTo(retryMin) < 0) throw new IllegalArgumentException("retryMax must be at least retryMin");
        }

        public Settings withRetry(Duration min, Duration max) {
            return new Settings(piecesPerPeer, maxSources, maxBufferedBytes, min, max, progressInterval, concurrentJobs);
        }

        public Settings withProgressInterval(Duration d) {
            return new Settings(piecesPerPeer, maxSources, maxBufferedBytes, retryMin, retryMax, d, concurrentJobs);
        }
    }

    public enum Phase { FINDING_PEERS, FETCHING, WAITING_TO_RETRY, STORED, FAILED }

    /** Where one artifact's replication stands. {@code bytesStored} counts what the store holds of it. */
    public record Progress(Hash digest, String label, Phase phase, long bytesStored, long size, int sources, int attempts, String problem) {}

    private enum Outcome { STORED, RETRY, FAILED }

    private final ArtifactStore store;
    private final ArtifactFetch fetch;
    private final Settings settings;
    private final ScheduledThreadPoolExecutor executor;
    private final Map<Hash, Job> jobs = new ConcurrentHashMap<>();
    private final List<Consumer<Hash>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public ArtifactReplicator(ArtifactStore store, ArtifactFetch fetch, Settings settings) {
        this.store = store;
        this.fetch = fetch;
        this.settings = settings;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(settings.concurrentJobs(), r -> {
            Thread t = new Thread(r, "artifact-replicator-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.executor.setRemoveOnCancelPolicy(true);
    }

    /** {@code onStored} runs (on a replicator thread) with the digest of each artifact a job stored. */
    public void addListener(Consumer<Hash> onStored) {
        listeners.add(onStored);
    }

    /**
     * Makes sure the artifact gets fetched: starts a job unless it is stored or a job for it exists already. Never
     * blocks; cheap to call on every head change.
     *
     * @param size  the size the chain registered; a manifest for another size is not used
     * @param label what the artifact is for, for the log (e.g. the model version)
     */
    public void replicate(Hash digest, long size, String label) {
        if (closed || jobs.containsKey(digest) || store.contains(digest)) return;
        Job job = new Job(digest, size, label);
        if (jobs.putIfAbsent(digest, job) == null) job.submit(0);
    }

    /** Stops the jobs for digests not in {@code wanted}; what they fetched stays in the store for a later resume. */
    public void retainOnly(Set<Hash> wanted) {
        for (Job j : jobs.values()) if (!wanted.contains(j.digest)) j.cancel("no longer needed");
    }

    public Optional<Progress> progress(Hash digest) {
        return Optional.ofNullable(jobs.get(digest)).map(Job::progress);
    }

    public List<Progress> progress() {
        return jobs.values().stream().map(Job::progress).toList();
    }

    /** Stops all jobs, letting running attempts make their bytes durable for a resume. */
    @Override
    public void close() {
        closed = true;
        jobs.values().forEach(j -> j.cancel("shutting down"));
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static String shortHex(Hash h) {
        return h.toHex().substring(0, 12);
    }

    private static String shortKey(PublicKey k) {
        return k.toHex().substring(0, 16);
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) e = e.getCause();
        return e;
    }

    private static String describe(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof TimeoutException) return "timed out";
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }

    // ---------------------------------------------------------------- one artifact

    private final class Job implements Runnable {
        final Hash digest;
        final long size;
        final String label;
        final Set<Hash> falseManifests = new HashSet<>();
        volatile Phase phase = Phase.FINDING_PEERS;
        volatile long stored;
        volatile int sources;
        volatile int attempts;
        volatile String problem;
        volatile boolean cancelled;
        private int failuresInARow;
        private boolean madeProgress;
        private ScheduledFuture<?> next;

        Job(Hash digest, long size, String label) {
            this.digest = digest;
            this.size = size;
            this.label = label;
        }

        Progress progress() {
            return new Progress(digest, label, phase, stored, size, sources, attempts, problem);
        }

        synchronized void submit(long delayMillis) {
            if (cancelled || closed) return;
            try {
                next = executor.schedule(this, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                jobs.remove(digest, this);
            }
        }

        void cancel(String why) {
            synchronized (this) {
                if (cancelled) return;
                cancelled = true;
                if (next != null) next.cancel(false);
            }
            jobs.remove(digest, this);
            if (phase != Phase.STORED && phase != Phase.FAILED) LOG.info("stopped replicating artifact {} for {}: {}", digest, label, why);
        }

        boolean stopping() {
            return cancelled || closed;
        }

        @Override
        public void run() {
            if (stopping()) return;
            attempts++;
            madeProgress = false;
            Outcome o;
            try {
                o = attempt();
            } catch (ArtifactException | CodecException | IllegalArgumentException | IllegalStateException e) {
                problem = e.getMessage();
                LOG.warn("replicating artifact {} for {} failed: {}", digest, label, e.getMessage());
                o = Outcome.RETRY;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                problem = e.toString();
                LOG.error("replicating artifact {} for {} failed unexpectedly", digest, label, e);
                o = Outcome.RETRY;
            }
            sources = 0;
            switch (o) {
                case STORED -> {
                    phase = Phase.STORED;
                    problem = null;
                    jobs.remove(digest, this);
                    for (Consumer<Hash> l : listeners) {
                        try {
                            l.accept(digest);
                        } catch (RuntimeException e) {
                            LOG.warn("artifact listener failed", e);
                        }
                    }
                }
                case FAILED -> {
                    phase = Phase.FAILED;
                    LOG.error("ALERT: cannot replicate artifact {} for {}: {}", digest, label, problem);
                }
                case RETRY -> {
                    if (stopping()) return;
                    failuresInARow = madeProgress ? 1 : failuresInARow + 1;
                    long delay = Math.min(settings.retryMax().toMillis(),
                            settings.retryMin().toMillis() << Math.min(20, failuresInARow - 1));
                    phase = Phase.WAITING_TO_RETRY;
                    LOG.info("artifact {} for {} not fetched yet ({}); trying again in {} s", digest, label, problem, delay / 1000.0);
                    submit(delay);
                }
            }
        }

        private Outcome attempt() throws InterruptedException {
            phase = Phase.FINDING_PEERS;
            if (store.contains(digest)) return Outcome.STORED;
            if (size > store.limits().maxArtifactBytes()) {
                problem = "the registered size " + size + " is over this node's artifact limit of " + store.limits().maxArtifactBytes() + " bytes";
                return Outcome.FAILED;
            }
            stored = store.resumeOffset(digest);
            Candidate chosen = findSources();
            if (chosen == null) return Outcome.RETRY;
            ChunkManifest m = chosen.manifest;

            long resume = store.resumeOffset(digest);
            ArtifactUpload upload;
            try {
                upload = store.beginUpload(digest, resume);
            } catch (ArtifactException e) {
                if (e.reason() != ArtifactException.Reason.CONFLICT || store.contains(digest)) throw e;
                // The kept bytes were damaged (the store cut them back) or the checkpoint moved: start where it says now.
                LOG.info("artifact {}: cannot resume at {} ({}); asking the store again", digest, resume, e.getMessage());
                resume = store.resumeOffset(digest);
                upload = store.beginUpload(digest, resume);
            }
            boolean checkedFromStart = resume == 0;
            try (ArtifactUpload u = upload) {
                Transfer t = new Transfer(m, chosen.peers, u, resume);
                if (!t.run()) return Outcome.RETRY;
                try {
                    u.complete();
                } catch (ArtifactException e) {
                    if (e.reason() != ArtifactException.Reason.DIGEST_MISMATCH) throw e;
                    falseManifests.add(m.hash());
                    problem = "the assembled file does not hash to the digest although every chunk matched manifest " + m.hash();
                    LOG.error("ALERT: artifact {} for {}: {}; discarded it, and will not use that manifest again", digest, label, problem);
                    if (checkedFromStart) {
                        for (PublicKey p : chosen.peers) fetch.reportInvalidData(p, "false manifest " + m.hash() + " for artifact " + digest);
                    }
                    return Outcome.RETRY;
                }
                t.logDone();
                return Outcome.STORED;
            }
        }

        /** Asks every connected peer for its manifest; returns the manifest most peers agree on, with those peers. */
        private Candidate findSources() throws InterruptedException {
            List<PublicKey> peers = fetch.connectedPeers();
            if (peers.isEmpty()) {
                problem = "no peers connected";
                return null;
            }
            Map<PublicKey, CompletableFuture<ArtifactFetch.ManifestAnswer>> asked = new LinkedHashMap<>();
            for (PublicKey p : peers) asked.put(p, fetch.requestManifest(p, digest));
            CompletableFuture<Void> all = CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new));
            while (!all.isDone()) {
                if (stopping()) return null;
                try {
                    all.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // wait on; failures are read per peer below
                }
            }
            Map<Hash, Candidate> candidates = new LinkedHashMap<>();
            int notFound = 0, denied = 0, failed = 0, otherSize = 0;
            long seenSize = -1;
            for (var e : asked.entrySet()) {
                PublicKey peer = e.getKey();
                ArtifactFetch.ManifestAnswer a;
                try {
                    a = e.getValue().join();
                } catch (CompletionException | java.util.concurrent.CancellationException x) {
                    LOG.debug("artifact {}: no manifest from {}: {}", digest, shortKey(peer), describe(x));
                    failed++;
                    continue;
                }
                switch (a.status()) {
                    case NOT_FOUND -> notFound++;
                    case DENIED -> denied++;
                    case FOUND -> {
                        ChunkManifest m;
                        try {
                            m = ChunkManifest.decode(a.manifest(), Long.MAX_VALUE);
                        } catch (CodecException | IllegalArgumentException x) {
                            fetch.reportInvalidData(peer, "undecodable manifest for artifact " + digest + ": " + x.getMessage());
                            failed++;
                            continue;
                        }
                        if (!m.artifactDigest().equals(digest)) {
                            fetch.reportInvalidData(peer, "sent the manifest of artifact " + m.artifactDigest() + " when asked for " + digest);
                            failed++;
                        } else if (m.size() != size) {
                            // Not the peer's fault: a manifest is bound to the digest, the registered size may be wrong.
                            otherSize++;
                            seenSize = m.size();
                        } else if (falseManifests.contains(m.hash())) {
                            failed++;
                        } else {
                            candidates.computeIfAbsent(m.hash(), h -> new Candidate(m)).peers.add(peer);
                        }
                    }
                }
            }
            Candidate best = null;
            for (Candidate c : candidates.values()) if (best == null || c.peers.size() > best.peers.size()) best = c;
            if (best == null) {
                problem = "no peer serves it (" + peers.size() + " asked: " + notFound + " do not have it, " + denied + " refuse it to this node, "
                        + failed + " failed" + (otherSize > 0 ? ", " + otherSize + " have it with " + seenSize + " bytes, the chain registered " + size : "") + ")";
                if (denied > 0) LOG.warn("artifact {} for {}: {} peers refuse it to this node; does this node's key host the model on chain?", digest, label, denied);
                return null;
            }
            Collections.shuffle(best.peers);
            if (best.peers.size() > settings.maxSources()) best.peers.subList(settings.maxSources(), best.peers.size()).clear();
            return best;
        }

        /** Fetching one manifest's chunks from its sources into an upload: one thread, fed by completion events. */
        private final class Transfer {
            final ChunkManifest m;
            final ArtifactUpload upload;
            final int chunkSize;
            final int chunkCount;
            final int piecesPerChunk;
            final int firstChunk;
            final int skip;
            final long startOffset;
            final int maxBuffers;
            final List<Source> sourceList = new ArrayList<>();
            final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
            final TreeMap<Integer, ChunkTask> tasks = new TreeMap<>();
            final PriorityQueue<Integer> orphans = new PriorityQueue<>();
            final ArrayDeque<byte[]> freeBuffers = new ArrayDeque<>();
            int buffersAllocated;
            int nextToAppend;
            int nextToAssign;
            int badChunks;
            long fetched;
            final long startedNanos = System.nanoTime();
            long lastLogNanos = startedNanos;

            Transfer(ChunkManifest m, List<PublicKey> peers, ArtifactUpload upload, long resume) {
                this.m = m;
                this.upload = upload;
                this.chunkSize = m.chunkSize();
                this.chunkCount = m.chunkCount();
                this.piecesPerChunk = (chunkSize + ArtifactFetch.MAX_PIECE_BYTES - 1) / ArtifactFetch.MAX_PIECE_BYTES;
                this.firstChunk = (int) (resume / chunkSize);
                this.skip = (int) (resume % chunkSize);
                this.startOffset = resume;
                this.nextToAppend = firstChunk;
                this.nextToAssign = firstChunk;
                this.maxBuffers = (int) Math.max(1, Math.min(Math.max(1, chunkCount - firstChunk), settings.maxBufferedBytes() / chunkSize));
                for (PublicKey p : peers) sourceList.add(new Source(p));
            }

            boolean run() throws InterruptedException {
                phase = Phase.FETCHING;
                sources = sourceList.size();
                LOG.info("fetching artifact {} for {}: {} bytes in {} chunks of {} KiB from {} peers{}", digest, label, m.size(), chunkCount,
                        chunkSize >> 10, sourceList.size(), startOffset > 0 ? ", resuming at byte " + startOffset : "");
                while (true) {
                    if (stopping()) return false;
                    appendReady();
                    if (nextToAppend >= chunkCount) return true;
                    if (sources == 0) {
                        problem = "every peer serving it failed or left, " + mib(upload.offset()) + " MiB stored";
                        return false;
                    }
                    dispatch();
                    logProgress();
                    Event e = events.poll(100, TimeUnit.MILLISECONDS);
                    while (e != null) {
                        handle(e);
                        e = events.poll();
                    }
                }
            }

            /** Gives chunks to sources with room, then sends their pieces, lowest chunks first. */
            private void dispatch() {
                while (true) {
                    Integer index = !orphans.isEmpty() ? orphans.peek() : nextToAssign < chunkCount ? Integer.valueOf(nextToAssign) : null;
                    if (index == null) break;
                    Source s = leastLoaded();
                    if (s == null) break;
                    byte[] buf;
                    if (!orphans.isEmpty()) {
                        buf = tasks.get(index).buf;
                        orphans.poll();
                    } else {
                        buf = takeBuffer();
                        if (buf == null) break;
                        nextToAssign++;
                    }
                    tasks.put(index, new ChunkTask(index, s, buf, m.chunkLength(index), piecesPerChunk));
                }
                for (ChunkTask t : tasks.values()) {
                    while (!t.abandoned && t.nextPiece < t.pieces && t.source.inFlight < settings.piecesPerPeer()) issue(t);
                }
            }

            /** The live source with the least unfinished work, if it has room for more. */
            private Source leastLoaded() {
                Source best = null;
                int bestLoad = Integer.MAX_VALUE;
                for (Source s : sourceList) {
                    if (s.dead) continue;
                    int load = 0;
                    for (ChunkTask t : tasks.values()) if (t.source == s && !t.abandoned && !t.verified) load += t.pieces - t.piecesDone;
                    if (load < bestLoad) {
                        best = s;
                        bestLoad = load;
                    }
                }
                return best != null && bestLoad < settings.piecesPerPeer() ? best : null;
            }

            private byte[] takeBuffer() {
                if (!freeBuffers.isEmpty()) return freeBuffers.poll();
                if (buffersAllocated >= maxBuffers) return null;
                buffersAllocated++;
                return new byte[chunkSize];
            }

            private void issue(ChunkTask t) {
                int offset = t.nextPiece * ArtifactFetch.MAX_PIECE_BYTES;
                int length = Math.min(ArtifactFetch.MAX_PIECE_BYTES, t.length - offset);
                t.nextPiece++;
                t.source.inFlight++;
                fetch.requestChunk(t.source.peer, digest, t.index, offset, length)
                        .whenComplete((data, error) -> events.add(new Event(t, offset, length, data, error)));
            }

            private void handle(Event e) {
                ChunkTask t = e.task;
                t.source.inFlight--;
                if (t.abandoned || t.source.dead) return;
                if (e.error != null) {
                    drop(t.source, describe(e.error));
                    return;
                }
                e.data.duplicate().get(t.buf, e.offset, e.length);
                fetched += e.length;
                if (++t.piecesDone < t.pieces) return;
                Hash actual = Sha256.hash(t.buf, 0, t.length);
                if (actual.equals(m.chunkHash(t.index))) {
                    t.verified = true;
                    return;
                }
                badChunks++;
                LOG.warn("artifact {}: chunk {} from peer {} hashes to {}, its manifest says {}; fetching it from another peer",
                        shortHex(digest), t.index, shortKey(t.source.peer), actual, m.chunkHash(t.index));
                fetch.reportInvalidData(t.source.peer, "chunk " + t.index + " of artifact " + digest + " does not match the manifest it sent");
                drop(t.source, "sent a chunk that does not match its manifest");
            }

            /** Stops using a source; its unfinished chunks go to the others. */
            private void drop(Source s, String why) {
                if (s.dead) return;
                s.dead = true;
                sources--;
                LOG.info("artifact {}: no longer fetching from peer {}: {}", shortHex(digest), shortKey(s.peer), why);
                for (ChunkTask t : tasks.values()) {
                    if (t.source == s && !t.verified && !t.abandoned) {
                        t.abandoned = true;
                        orphans.add(t.index);
                    }
                }
            }

            /** Appends verified chunks, in order, to the upload; their buffers are reused. */
            private void appendReady() {
                while (true) {
                    ChunkTask t = tasks.get(nextToAppend);
                    if (t == null || !t.verified) return;
                    int from = t.index == firstChunk ? skip : 0;
                    long expectedOffset = m.chunkOffset(t.index) + from;
                    if (upload.offset() != expectedOffset) {
                        throw new IllegalStateException("upload of " + digest + " is at " + upload.offset() + ", chunk " + t.index + " goes at " + expectedOffset);
                    }
                    upload.append(new ByteArrayInputStream(t.buf, from, t.length - from));
                    tasks.remove(nextToAppend);
                    freeBuffers.add(t.buf);
                    nextToAppend++;
                    stored = upload.offset();
                    madeProgress = true;
                }
            }

            private void logProgress() {
                long now = System.nanoTime();
                if (now - lastLogNanos < settings.progressInterval().toNanos()) return;
                lastLogNanos = now;
                double seconds = (now - startedNanos) / 1e9;
                LOG.info("replicating artifact {} for {}: {} of {} MiB ({}%), {} MiB/s from {} peers", shortHex(digest), label,
                        String.format("%.1f", mib(upload.offset())), String.format("%.1f", mib(m.size())),
                        m.size() == 0 ? 100 : upload.offset() * 100 / m.size(), String.format("%.1f", mib(fetched) / Math.max(seconds, 1e-3)), sources);
            }

            void logDone() {
                double seconds = (System.nanoTime() - startedNanos) / 1e9;
                LOG.info("replicated artifact {} for {}: {} MiB in {} s ({} MiB/s){}", digest, label, String.format("%.1f", mib(m.size() - startOffset)),
                        String.format("%.1f", seconds), String.format("%.1f", mib(fetched) / Math.max(seconds, 1e-3)),
                        badChunks == 0 ? "" : ", " + badChunks + " bad chunks fetched again");
            }
        }
    }

    private static final class Candidate {
        final ChunkManifest manifest;
        final List<PublicKey> peers = new ArrayList<>();

        Candidate(ChunkManifest manifest) {
            this.manifest = manifest;
        }
    }

    private static final class Source {
        final PublicKey peer;
        int inFlight;
        boolean dead;

        Source(PublicKey peer) {
            this.peer = peer;
        }
    }

    private static final class ChunkTask {
        final int index;
        final Source source;
        final byte[] buf;
        final int length;
        final int pieces;
        int nextPiece;
        int piecesDone;
        boolean verified;
        boolean abandoned;

        ChunkTask(int index, Source source, byte[] buf, int length, int maxPieces) {
            this.index = index;
            this.source = source;
            this.buf = buf;
            this.length = length;
            this.pieces = Math.min(maxPieces, (length + ArtifactFetch.MAX_PIECE_BYTES - 1) / ArtifactFetch.MAX_PIECE_BYTES);
        }
    }

    private record Event(ChunkTask task, int offset, int length, ByteBuffer data, Throwable error) {}
}
