package io.maaschain.maas.artifact;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed artifact store (docs/artifacts.md). An artifact is stored under the SHA-256 of its bytes, with the
 * {@link ChunkManifest} computed in the same pass. Bytes are always streamed: nothing here holds a whole artifact in
 * memory, except {@link #loadVerified} which exists to hand a model to an inference engine that needs it in memory anyway.
 *
 * <p>Layout under the root (normally {@code <data-dir>/artifacts}):
 * <pre>
 *   sha256/ab/abcd…ef            the artifact, named by its lower-case hex digest, made read-only
 *   sha256/ab/abcd…ef.manifest   its manifest (ChunkManifest.encode())
 *   uploads/abcd…ef.part         an upload in progress or interrupted
 *   uploads/abcd…ef.ckpt         what of the .part is durable (UploadCheckpoint)
 * </pre>
 * An artifact is visible exactly when its file exists under {@code sha256/}. The file is renamed there atomically, after
 * its bytes and its manifest were made durable, so a crash leaves either nothing visible or the whole, verified artifact.
 */
public final class ArtifactStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final int IO_BUFFER = 1 << 20;

    /**
     * Bounds. {@code maxArtifactBytes}: largest artifact accepted. {@code chunkSize}: for new manifests.
     * {@code maxPendingUploads}: partial uploads kept on disk at once (the oldest idle one is dropped for a new one).
     * {@code staleUploadAge}: idle partial uploads older than this are deleted. {@code checkpointEveryBytes}: how often
     * an upload in progress is made durable for a resume after a crash.
     */
    public record Limits(long maxArtifactBytes, int chunkSize, int maxPendingUploads, Duration staleUploadAge, long checkpointEveryBytes) {
        public static final Limits DEFAULT = new Limits(8L << 30, ChunkManifest.DEFAULT_CHUNK_SIZE, 8, Duration.ofHours(24), 64L << 20);

        public Limits {
            ChunkManifest.checkChunkSize(chunkSize);
            if (maxArtifactBytes <= 0 || maxArtifactBytes > ChunkManifest.MAX_CHUNKS * chunkSize) {
                throw new IllegalArgumentException("max artifact size out of range: " + maxArtifactBytes);
            }
            if (maxPendingUploads < 1) throw new IllegalArgumentException("maxPendingUploads must be positive");
            if (checkpointEveryBytes < chunkSize) throw new IllegalArgumentException("checkpoint interval below one chunk");
        }

        public Limits withMaxArtifactBytes(long max) {
            return new Limits(max, chunkSize, maxPendingUploads, staleUploadAge, checkpointEveryBytes);
        }

        public Limits withChunkSize(int size) {
            return new Limits(maxArtifactBytes, size, maxPendingUploads, staleUploadAge, Math.max(size, checkpointEveryBytes));
        }
    }

    /** Bytes of an artifact read whole into memory and checked on those very bytes, with the manifest they match. */
    public record VerifiedBytes(ByteBuffer bytes, ChunkManifest manifest) {}

    private final Path root;
    private final Path blobs;
    private final Path uploads;
    private final Limits limits;
    private final ExecutorService pool;
    private final ConcurrentHashMap<Hash, Upload> active = new ConcurrentHashMap<>();

    private ArtifactStore(Path root, Limits limits, int threads) {
        this.root = root;
        this.blobs = root.resolve("sha256");
        this.uploads = root.resolve("uploads");
        this.limits = limits;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "artifact-verify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public static Path defaultRoot(Path dataDir) {
        return dataDir.resolve("artifacts");
    }

    /** Opens (creating if needed) the store at {@code root}, cleaning what a crash may have left behind. */
    public static ArtifactStore open(Path root, Limits limits) throws IOException {
        return open(root, limits, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    public static ArtifactStore open(Path root, Limits limits, int verifyThreads) throws IOException {
        ArtifactStore s = new ArtifactStore(root, limits, verifyThreads);
        Files.createDirectories(s.blobs);
        Files.createDirectories(s.uploads);
        s.recover();
        return s;
    }

    public Path root() {
        return root;
    }

    public Limits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- reading

    public boolean contains(Hash digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    /** The file of a stored artifact; read it, never write it. Empty if the artifact is not stored. */
    public Optional<Path> file(Hash digest) {
        Path p = blobPath(digest);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    public Optional<StoredArtifact> find(Hash digest) {
        return manifest(digest).map(m -> new StoredArtifact(digest, m.size(), m));
    }

    public Optional<ChunkManifest> manifest(Hash digest) {
        if (!contains(digest)) return Optional.empty();
        try {
            return Optional.of(readManifest(digest));
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.IO, "cannot read manifest of " + digest + ": " + e.getMessage(), e);
        }
    }

    /** A read-only channel on a stored artifact; the caller closes it. */
    public FileChannel openChannel(Hash digest) {
        try {
            return FileChannel.open(blobPath(digest), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ArtifactException(ArtifactException.Reason.NOT_FOUND, "artifact " + digest + " is not stored");
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.IO, "cannot open artifact " + digest + ": " + e.getMessage(), e);
        }
    }

    public List<Hash> list() throws IOException {
        List<Hash> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(blobs)) {
            for (Path d : dirs) {
                if (!Files.isDirectory(d)) continue;
                try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                    for (Path f : files) {
                        String n = f.getFileName().toString();
                        if (HEX64.matcher(n).matches()) out.add(Hash.fromHex(n));
                    }
                }
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Removes a stored artifact. Returns false if it was not stored. */
    public boolean delete(Hash digest) throws IOException {
        Path blob = blobPath(digest);
        boolean existed = Files.deleteIfExists(blob);
        Files.deleteIfExists(manifestPath(digest));
        return existed;
    }

    // ---------------------------------------------------------------- writing

    /** Stores a whole stream under {@code expected}; refused (and nothing kept) unless the bytes hash to it. */
    public StoredArtifact put(Hash expected, InputStream in) {
        if (contains(expected)) return find(expected).orElseThrow();
        try (Upload u = beginUpload(expected, 0)) {
            u.append(in);
            return u.complete();
        }
    }

    /** Copies a local file into the store (streamed), refused unless it hashes to {@code expected}. */
    public StoredArtifact importFile(Path file, Hash expected) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return put(expected, in);
        }
    }

    /**
     * How many bytes of an interrupted upload of {@code expected} the store holds durably: a resume sends from there.
     * 0 when there is none.
     */
    public long resumeOffset(Hash expected) {
        try {
            return readCheckpoint(expected).map(UploadCheckpoint::length).orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Starts (offset 0) or resumes (offset = {@link #resumeOffset}) an upload of the artifact {@code expected}. Only one
     * upload per digest runs at a time. Close the upload when done; an upload closed without {@link Upload#complete}
     * keeps its durable part for a later resume.
     */
    public Upload beginUpload(Hash expected, long offset) {
        if (offset < 0) throw new ArtifactException(ArtifactException.Reason.INVALID, "negative upload offset");
        if (offset > limits.maxArtifactBytes) {
            throw new ArtifactException(ArtifactException.Reason.TOO_LARGE, "offset " + offset + " is beyond the maximum artifact size " + limits.maxArtifactBytes);
        }
        if (contains(expected)) throw new ArtifactException(ArtifactException.Reason.CONFLICT, "artifact " + expected + " is already stored");
        Upload u = new Upload(expected);
        if (active.putIfAbsent(expected, u) != null) {
            throw new ArtifactException(ArtifactException.Reason.CONFLICT, "an upload of " + expected + " is already in progress");
        }
        try {
            makeRoomForUpload(expected);
            u.open(offset);
            return u;
        } catch (IOException e) {
            active.remove(expected, u);
            throw new ArtifactException(ArtifactException.Reason.IO, "cannot start upload of " + expected + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            active.remove(expected, u);
            throw e;
        }
    }

    /** One upload in progress: bytes are appended in order, hashed as they come, and made durable at chunk boundaries. */
    public final class Upload implements AutoCloseable {
        private final Hash expected;
        private final Path part;
        private final Path checkpoint;
        private FileChannel channel;
        private ChunkHasher hasher;
        private long lastCheckpoint;
        private boolean finished;

        private Upload(Hash expected) {
            this.expected = expected;
            this.part = uploads.resolve(expected.toHex() + ".part");
            this.checkpoint = uploads.resolve(expected.toHex() + ".ckpt");
        }

        private void open(long offset) throws IOException {
            hasher = new ChunkHasher(limits.chunkSize);
            channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (offset == 0) {
                channel.truncate(0);
                Files.deleteIfExists(checkpoint);
                lastCheckpoint = 0;
                return;
            }
            Optional<UploadCheckpoint> ck = readCheckpoint(expected).filter(c -> c.chunkSize() == limits.chunkSize);
            long durable = ck.map(UploadCheckpoint::length).orElse(0L);
            if (offset > durable || offset > channel.size()) {
                throw new ArtifactException(ArtifactException.Reason.CONFLICT,
                        "the node holds " + durable + " bytes of this upload; resume from offset " + durable + ", not " + offset);
            }
            // Re-hash what is kept, checking every whole chunk against the checkpoint: a crash may have damaged it.
            List<Hash> recorded = ck.orElseThrow().chunkHashes();
            ByteBuffer buf = ByteBuffer.allocate(limits.chunkSize);
            for (long pos = 0; pos < offset; ) {
                int chunk = (int) (pos / limits.chunkSize);
                int len = (int) Math.min(limits.chunkSize, offset - pos);
                buf.clear().limit(len);
                readFully(channel, buf, pos);
                buf.flip();
                if (len == limits.chunkSize && !Sha256.hash(buf.array(), 0, len).equals(recorded.get(chunk))) {
                    channel.truncate(pos);
                    writeCheckpoint(pos, recorded.subList(0, chunk));
                    throw new ArtifactException(ArtifactException.Reason.CONFLICT,
                            "stored bytes of this upload from offset " + pos + " were damaged; resume from offset " + pos);
                }
                hasher.update(buf);
                pos += len;
            }
            channel.truncate(offset);
            lastCheckpoint = offset - offset % limits.chunkSize;
        }

        public Hash expected() {
            return expected;
        }

        /** Bytes received so far (the offset the next appended byte lands at). */
        public long offset() {
            return hasher.total();
        }

        /**
         * Appends everything {@code in} yields until its end. Over the size limit the upload is discarded (TOO_LARGE);
         * if reading {@code in} fails the whole chunks received so far are made durable (INTERRUPTED).
         */
        public void append(InputStream in) {
            byte[] buf = new byte[IO_BUFFER];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    checkpointQuietly();
                    throw new ArtifactException(ArtifactException.Reason.INTERRUPTED,
                            "upload interrupted at offset " + offset() + ": " + e.getMessage() + "; resume from " + lastCheckpoint, e);
                }
                if (n < 0) return;
                if (n == 0) continue;
                if (hasher.total() + n > limits.maxArtifactBytes) {
                    abort();
                    throw new ArtifactException(ArtifactException.Reason.TOO_LARGE,
                            "artifact is larger than the maximum of " + limits.maxArtifactBytes + " bytes");
                }
                try {
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    long pos = hasher.total();
                    while (bb.hasRemaining()) pos += channel.write(bb, pos);
                } catch (IOException e) {
                    throw new ArtifactException(ArtifactException.Reason.IO, "cannot write upload: " + e.getMessage(), e);
                }
                hasher.update(buf, 0, n);
                if (hasher.total() - lastCheckpoint >= limits.checkpointEveryBytes) checkpoint();
            }
        }

        /**
         * Ends the upload: if the bytes hash to the expected digest, the artifact becomes visible atomically; if not,
         * everything received is deleted and DIGEST_MISMATCH thrown.
         */
        public StoredArtifact complete() {
            ChunkManifest m = hasher.finish();
            finished = true;
            if (!m.artifactDigest().equals(expected)) {
                abort();
                throw new ArtifactException(ArtifactException.Reason.DIGEST_MISMATCH,
                        "the " + m.size() + " bytes received hash to " + m.artifactDigest() + ", not " + expected + "; nothing was stored");
            }
            try {
                channel.force(true);
                channel.close();
                Path blob = blobPath(expected);
                Files.createDirectories(blob.getParent());
                writeAtomically(manifestPath(expected), m.encode());
                move(part, blob);
                fsyncDirectory(blob.getParent());
                Files.deleteIfExists(checkpoint);
                blob.toFile().setReadOnly();
                LOG.info("stored artifact {} ({} bytes, {} chunks, manifest {})", expected, m.size(), m.chunkCount(), m.hash());
                return new StoredArtifact(expected, m.size(), m);
            } catch (IOException e) {
                throw new ArtifactException(ArtifactException.Reason.IO, "cannot commit artifact " + expected + ": " + e.getMessage(), e);
            } finally {
                active.remove(expected, this);
            }
        }

        /** Drops everything received. */
        public void abort() {
            finished = true;
            try {
                channel.close();
                Files.deleteIfExists(part);
                Files.deleteIfExists(checkpoint);
            } catch (IOException e) {
                LOG.warn("cannot delete partial upload {}: {}", part, e.getMessage());
            } finally {
                active.remove(expected, this);
            }
        }

        private void checkpoint() {
            long durable = hasher.total() - hasher.total() % limits.chunkSize;
            if (durable <= lastCheckpoint && durable != 0) return;
            try {
                channel.force(false);
                List<Hash> chunks = hasher.completedChunks();
                writeCheckpoint(durable, chunks.subList(0, (int) (durable / limits.chunkSize)));
                lastCheckpoint = durable;
            } catch (IOException e) {
                throw new ArtifactException(ArtifactException.Reason.IO, "cannot checkpoint upload: " + e.getMessage(), e);
            }
        }

        private void checkpointQuietly() {
            try {
                checkpoint();
            } catch (RuntimeException e) {
                LOG.warn("cannot checkpoint interrupted upload of {}: {}", expected, e.getMessage());
            }
        }

        private void writeCheckpoint(long length, List<Hash> chunks) throws IOException {
            writeAtomically(checkpoint, new UploadCheckpoint(expected, limits.chunkSize, length, chunks).encode());
        }

        /** Without {@link #complete}, keeps the durable whole chunks for a later resume. */
        @Override
        public void close() {
            if (finished) return;
            finished = true;
            checkpointQuietly();
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("cannot close partial upload {}: {}", part, e.getMessage());
            } finally {
                active.remove(expected, this);
            }
        }
    }

    // ---------------------------------------------------------------- verifying

    /**
     * Full check of a stored artifact against the digest the chain holds: the whole-file SHA-256 (one sequential pass)
     * runs alongside the per-chunk checks against the stored manifest (in parallel), so a failure names the damaged chunks.
     */
    public VerifyResult verify(Hash expected) {
        Path blob = blobPath(expected);
        if (!Files.isRegularFile(blob)) return VerifyResult.failed(expected, null, List.of(), "not stored");
        ChunkManifest m;
        try {
            m = readManifest(expected);
        } catch (IOException | RuntimeException e) {
            Hash actual = wholeDigest(blob);
            return actual.equals(expected) ? VerifyResult.passed(expected, actual)
                    : VerifyResult.failed(expected, actual, List.of(), "file hashes to " + actual + " (manifest unreadable: " + e.getMessage() + ")");
        }
        return check(blob, expected, m, true);
    }

    /**
     * Quick re-check against a manifest the caller trusts (one it pinned after a full check): only the chunks,
     * all in parallel. This is what a node runs on a schedule for the models it serves.
     */
    public VerifyResult verify(Hash expected, ChunkManifest trusted) {
        if (!trusted.artifactDigest().equals(expected)) {
            return VerifyResult.failed(expected, null, List.of(), "the manifest is for artifact " + trusted.artifactDigest());
        }
        Path blob = blobPath(expected);
        if (!Files.isRegularFile(blob)) return VerifyResult.failed(expected, null, List.of(), "not stored");
        return check(blob, expected, trusted, false);
    }

    /**
     * Reads a stored artifact of at most {@code maxBytes} into a direct buffer and checks those bytes (whole digest and
     * every chunk, in parallel) before returning them, so what an engine loads is exactly what was checked.
     */
    public VerifiedBytes loadVerified(Hash expected, int maxBytes) {
        ChunkManifest m = manifest(expected).orElseThrow(
                () -> new ArtifactException(ArtifactException.Reason.NOT_FOUND, "artifact " + expected + " is not stored"));
        if (!m.artifactDigest().equals(expected)) {
            throw new ArtifactException(ArtifactException.Reason.DIGEST_MISMATCH, "the stored manifest of " + expected + " is for " + m.artifactDigest());
        }
        if (m.size() > maxBytes) {
            throw new ArtifactException(ArtifactException.Reason.TOO_LARGE, "artifact " + expected + " has " + m.size() + " bytes, more than " + maxBytes);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect((int) m.size());
        try (FileChannel ch = openChannel(expected)) {
            if (ch.size() != m.size()) {
                throw new ArtifactException(ArtifactException.Reason.DIGEST_MISMATCH,
                        "artifact " + expected + " has " + ch.size() + " bytes, its manifest says " + m.size());
            }
            readFully(ch, buf, 0);
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.IO, "cannot read artifact " + expected + ": " + e.getMessage(), e);
        }
        buf.flip();
        ByteBuffer all = buf.asReadOnlyBuffer();
        Future<Hash> whole = pool.submit(() -> {
            MessageDigest md = Sha256.newDigest();
            md.update(all.duplicate());
            return Hash.wrap(md.digest());
        });
        List<Future<VerifyResult.ChunkFailure>> chunks = new ArrayList<>();
        for (int i = 0; i < m.chunkCount(); i++) {
            int index = i;
            chunks.add(pool.submit(() -> {
                MessageDigest md = Sha256.newDigest();
                md.update(all.slice((int) m.chunkOffset(index), m.chunkLength(index)));
                Hash h = Hash.wrap(md.digest());
                return h.equals(m.chunkHash(index)) ? null
                        : new VerifyResult.ChunkFailure(index, m.chunkOffset(index), m.chunkLength(index), m.chunkHash(index), h);
            }));
        }
        VerifyResult r = collect(expected, whole, chunks);
        if (!r.ok()) throw new ArtifactException(ArtifactException.Reason.DIGEST_MISMATCH, r.describe());
        return new VerifiedBytes(buf.position(0), m);
    }

    private VerifyResult check(Path blob, Hash expected, ChunkManifest m, boolean whole) {
        try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.READ)) {
            long size = ch.size();
            Future<Hash> wholeTask = whole ? pool.submit(() -> wholeDigest(blob)) : null;
            List<Future<VerifyResult.ChunkFailure>> tasks = new ArrayList<>(m.chunkCount());
            for (int i = 0; i < m.chunkCount(); i++) {
                int index = i;
                tasks.add(pool.submit(() -> checkChunk(ch, size, m, index)));
            }
            VerifyResult r = collect(expected, wholeTask, tasks);
            if (r.ok() && size != m.size()) {
                return VerifyResult.failed(expected, r.actualDigest(), List.of(), "file has " + size + " bytes, manifest says " + m.size());
            }
            if (r.ok() && !m.artifactDigest().equals(expected)) {
                return VerifyResult.failed(expected, r.actualDigest(), List.of(), "the manifest is for artifact " + m.artifactDigest());
            }
            return r;
        } catch (IOException e) {
            return VerifyResult.failed(expected, null, List.of(), "cannot read: " + e.getMessage());
        }
    }

    private static VerifyResult.ChunkFailure checkChunk(FileChannel ch, long fileSize, ChunkManifest m, int index) throws IOException {
        long off = m.chunkOffset(index);
        int len = m.chunkLength(index);
        long available = Math.max(0, Math.min(len, fileSize - off));
        MessageDigest md = Sha256.newDigest();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(IO_BUFFER, Math.max(1, available)));
        for (long pos = off, end = off + available; pos < end; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int n = ch.read(buf, pos);
            if (n < 0) break;
            pos += n;
            buf.flip();
            md.update(buf);
        }
        Hash actual = Hash.wrap(md.digest());
        return available == len && actual.equals(m.chunkHash(index)) ? null
                : new VerifyResult.ChunkFailure(index, off, len, m.chunkHash(index), actual);
    }

    private static VerifyResult collect(Hash expected, Future<Hash> whole, List<Future<VerifyResult.ChunkFailure>> chunks) {
        List<VerifyResult.ChunkFailure> bad = new ArrayList<>();
        Hash actual = null;
        try {
            for (Future<VerifyResult.ChunkFailure> f : chunks) {
                VerifyResult.ChunkFailure failure = f.get();
                if (failure != null) bad.add(failure);
            }
            if (whole != null) actual = whole.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            chunks.forEach(f -> f.cancel(true));
            return VerifyResult.failed(expected, null, bad, "interrupted");
        } catch (ExecutionException e) {
            return VerifyResult.failed(expected, null, bad, "cannot read: " + e.getCause());
        }
        if (!bad.isEmpty()) {
            return VerifyResult.failed(expected, actual, bad, bad.size() + (bad.size() == 1 ? " chunk does" : " chunks do") + " not match the manifest");
        }
        if (actual != null && !actual.equals(expected)) {
            return VerifyResult.failed(expected, actual, List.of(), "file hashes to " + actual);
        }
        return VerifyResult.passed(expected, actual);
    }

    /** SHA-256 of a whole file, streamed. */
    public static Hash wholeDigest(Path file) {
        MessageDigest md = Sha256.newDigest();
        byte[] buf = new byte[IO_BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Hash.wrap(md.digest());
    }

    /** The manifest of any local file, computed in one streamed pass (no store involved). */
    public static ChunkManifest manifestOf(Path file, int chunkSize) throws IOException {
        ChunkHasher h = new ChunkHasher(chunkSize);
        byte[] buf = new byte[IO_BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) h.update(buf, 0, n);
        }
        return h.finish();
    }

    // ---------------------------------------------------------------- housekeeping

    Path blobPath(Hash digest) {
        String hex = digest.toHex();
        return blobs.resolve(hex.substring(0, 2)).resolve(hex);
    }

    private Path manifestPath(Hash digest) {
        Path b = blobPath(digest);
        return b.resolveSibling(b.getFileName() + ".manifest");
    }

    private ChunkManifest readManifest(Hash digest) throws IOException {
        Path p = manifestPath(digest);
        if (Files.size(p) > ChunkManifest.HEADER_LENGTH + ChunkManifest.MAX_CHUNKS * Hash.LENGTH) throw new IOException("manifest too large");
        ChunkManifest m = ChunkManifest.decode(Files.readAllBytes(p), Long.MAX_VALUE);
        if (!m.artifactDigest().equals(digest)) throw new CodecException("manifest of " + digest + " names " + m.artifactDigest());
        return m;
    }

    private Optional<UploadCheckpoint> readCheckpoint(Hash expected) throws IOException {
        Path p = uploads.resolve(expected.toHex() + ".ckpt");
        if (!Files.isRegularFile(p)) return Optional.empty();
        try {
            UploadCheckpoint c = UploadCheckpoint.decode(Files.readAllBytes(p), limits.maxArtifactBytes);
            return c.expected().equals(expected) ? Optional.of(c) : Optional.empty();
        } catch (CodecException | IllegalArgumentException e) {
            LOG.warn("ignoring unreadable upload checkpoint {}: {}", p, e.getMessage());
            return Optional.empty();
        }
    }

    private void makeRoomForUpload(Hash expected) throws IOException {
        Instant staleBefore = Instant.now().minus(limits.staleUploadAge);
        List<Path> parts = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(uploads, "*.part")) {
            for (Path p : ds) {
                String hex = p.getFileName().toString().replace(".part", "");
                if (hex.equals(expected.toHex())) continue;
                if (HEX64.matcher(hex).matches() && active.containsKey(Hash.fromHex(hex))) continue;
                if (Files.getLastModifiedTime(p).toInstant().isBefore(staleBefore)) {
                    deletePart(p);
                } else {
                    parts.add(p);
                }
            }
        }
        int others = parts.size() + (int) active.keySet().stream().filter(h -> !h.equals(expected)).count();
        if (others < limits.maxPendingUploads) return;
        if (parts.isEmpty()) {
            throw new ArtifactException(ArtifactException.Reason.BUSY, limits.maxPendingUploads + " uploads are in progress; try again later");
        }
        parts.sort(Comparator.comparing(p -> {
            try {
                return Files.getLastModifiedTime(p);
            } catch (IOException e) {
                return FileTime.fromMillis(0);
            }
        }));
        for (int i = 0; i < parts.size() && others >= limits.maxPendingUploads; i++, others--) {
            LOG.info("dropping idle partial upload {} to make room", parts.get(i).getFileName());
            deletePart(parts.get(i));
        }
    }

    private void deletePart(Path part) throws IOException {
        Files.deleteIfExists(part);
        Files.deleteIfExists(part.resolveSibling(part.getFileName().toString().replace(".part", ".ckpt")));
    }

    /** Removes what an interrupted write can leave: temp files, manifests without artifacts, stale uploads. */
    private void recover() throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(blobs)) {
            for (Path d : dirs) {
                if (!Files.isDirectory(d)) continue;
                try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                    for (Path f : files) {
                        String n = f.getFileName().toString();
                        if (n.endsWith(".tmp")) {
                            Files.deleteIfExists(f);
                        } else if (n.endsWith(".manifest") && !Files.exists(f.resolveSibling(n.substring(0, n.length() - 9)))) {
                            Files.deleteIfExists(f);
                        } else if (HEX64.matcher(n).matches() && !Files.exists(f.resolveSibling(n + ".manifest"))) {
                            rebuildManifest(Hash.fromHex(n), f);
                        }
                    }
                }
            }
        }
        Instant staleBefore = Instant.now().minus(limits.staleUploadAge);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(uploads)) {
            for (Path f : ds) {
                String n = f.getFileName().toString();
                if (n.endsWith(".tmp")) {
                    Files.deleteIfExists(f);
                } else if (n.endsWith(".part") && Files.getLastModifiedTime(f).toInstant().isBefore(staleBefore)) {
                    deletePart(f);
                } else if (n.endsWith(".ckpt") && !Files.exists(f.resolveSibling(n.replace(".ckpt", ".part")))) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private void rebuildManifest(Hash digest, Path blob) throws IOException {
        ChunkManifest m = manifestOf(blob, limits.chunkSize);
        if (!m.artifactDigest().equals(digest)) {
            LOG.error("ALERT: stored artifact {} hashes to {}; deleting it", digest, m.artifactDigest());
            Files.deleteIfExists(blob);
            return;
        }
        writeAtomically(manifestPath(digest), m.encode());
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        move(tmp, target);
        fsyncDirectory(target.getParent());
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename atomically: " + e.getMessage(), e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory for fsync (Windows); the rename is still atomic there.
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException("file ended early at " + pos);
            pos += n;
        }
    }

    @Override
    public void close() {
        active.values().forEach(Upload::close);
        pool.shutdownNow();
    }
}
