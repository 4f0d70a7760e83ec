package io.maaschain.maas.artifact;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Content-addressed artifact store (docs/artifacts.md). An artifact is stored under the SHA-256 of its bytes, with the
 * {@link ChunkManifest} computed in the same pass. Bytes are always streamed: nothing here holds a whole artifact in
 * memory, except {@link #loadVerified} which exists to hand a model to an inference engine that needs it in memory anyway.
 *
 * <p>Layout under the root (normally {@code <data-dir>/artifacts}):
 * <pre>
 *   sha256/ab/abcd…ef             the artifact, named by its lower-case hex digest, made read-only
 *   sha256/ab/abcd…ef.manifest    its manifest (ChunkManifest.encode())
 *   sha256/ab/abcd…ef.uploaders   the accounts that uploaded it (AccountUsage)
 *   uploads/abcd…ef[-<addr>].part an upload in progress or interrupted, by an account or (no address) the node itself
 *   uploads/abcd…ef[-<addr>].ckpt what of the .part is durable (UploadCheckpoint)
 * </pre>
 * An artifact is visible exactly when its file exists under {@code sha256/}. The file is renamed there atomically, after
 * its bytes and its manifest were made durable, so a crash leaves either nothing visible or the whole, verified artifact.
 *
 * <p>This class ties the parts together, each with one job: {@link BlobFiles} (the content-addressed files),
 * {@link UploadSessions} and {@link ArtifactUpload} (uploads, their admission and expiry), {@link AccountUsage} (uploaders
 * and quotas), {@link ArtifactVerifier} (parallel checks) and {@link StoreRecovery} (cleaning up after a crash). Who may
 * read an artifact is not decided here but by {@link ArtifactAccess}.
 */
public final class ArtifactStore implements AutoCloseable {
    /**
     * Bounds. {@code maxArtifactBytes}: largest artifact accepted. {@code chunkSize}: for new manifests.
     * {@code maxPendingUploads}: partial uploads kept on disk at once (the oldest idle one is dropped for a new one).
     * {@code staleUploadAge}: idle partial uploads older than this are abandoned and deleted. {@code checkpointEveryBytes}:
     * how often an upload in progress is made durable for a resume after a crash.
     */
    public record Limits(long maxArtifactBytes, int chunkSize, int maxPendingUploads, Duration staleUploadAge, long checkpointEveryBytes) {
        public static final Limits DEFAULT = new Limits(8L << 30, ChunkManifest.DEFAULT_CHUNK_SIZE, 8, Duration.ofHours(24), 64L << 20);

        public Limits {
            ChunkManifest.checkChunkSize(chunkSize);
            if (maxArtifactBytes <= 0 || maxArtifactBytes > ChunkManifest.MAX_CHUNKS * chunkSize) {
                throw new IllegalArgumentException("max artifact size out of range: " + maxArtifactBytes);
            }
            if (maxPendingUploads < 1) throw new IllegalArgumentException("maxPendingUploads must be positive");
            if (staleUploadAge.isNegative() || staleUploadAge.isZero()) throw new IllegalArgumentException("staleUploadAge must be positive");
            if (checkpointEveryBytes < chunkSize) throw new IllegalArgumentException("checkpoint interval below one chunk");
        }

        public Limits withMaxArtifactBytes(long max) {
            return new Limits(max, chunkSize, maxPendingUploads, staleUploadAge, checkpointEveryBytes);
        }

        public Limits withChunkSize(int size) {
            return new Limits(maxArtifactBytes, size, maxPendingUploads, staleUploadAge, Math.max(size, checkpointEveryBytes));
        }

        public Limits withStaleUploadAge(Duration age) {
            return new Limits(maxArtifactBytes, chunkSize, maxPendingUploads, age, checkpointEveryBytes);
        }
    }

    /** Bytes of an artifact read whole into memory and checked on those very bytes, with the manifest they match. */
    public record VerifiedBytes(ByteBuffer bytes, ChunkManifest manifest) {}

    private final Path root;
    private final Limits limits;
    private final UploadPolicy policy;
    private final BlobFiles files;
    private final AccountUsage usage;
    private final UploadSessions uploads;
    private final ArtifactVerifier verifier;

    private ArtifactStore(Path root, Limits limits, UploadPolicy policy, int threads) {
        this.root = root;
        this.limits = limits;
        this.policy = policy;
        this.files = new BlobFiles(root.resolve("sha256"));
        this.usage = new AccountUsage(files, policy.accountQuotaBytes());
        this.uploads = new UploadSessions(root.resolve("uploads"), files, limits, policy, usage);
        this.verifier = new ArtifactVerifier(files, threads);
    }

    public static Path defaultRoot(Path dataDir) {
        return dataDir.resolve("artifacts");
    }

    /** Opens (creating if needed) the store at {@code root}, with no quota or disk reserve, cleaning what a crash may have left. */
    public static ArtifactStore open(Path root, Limits limits) throws IOException {
        return open(root, limits, UploadPolicy.UNLIMITED);
    }

    public static ArtifactStore open(Path root, Limits limits, UploadPolicy policy) throws IOException {
        return open(root, limits, policy, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    public static ArtifactStore open(Path root, Limits limits, int verifyThreads) throws IOException {
        return open(root, limits, UploadPolicy.UNLIMITED, verifyThreads);
    }

    public static ArtifactStore open(Path root, Limits limits, UploadPolicy policy, int verifyThreads) throws IOException {
        ArtifactStore s = new ArtifactStore(root, limits, policy, verifyThreads);
        try {
            Files.createDirectories(s.files.dir());
            Files.createDirectories(s.uploads.dir);
            StoreRecovery.recover(s.files, s.usage, limits.chunkSize());
            s.uploads.recover();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    public Path root() {
        return root;
    }

    public Limits limits() {
        return limits;
    }

    public UploadPolicy policy() {
        return policy;
    }

    // ---------------------------------------------------------------- reading

    public boolean contains(Hash digest) {
        return files.contains(digest);
    }

    /** The file of a stored artifact; read it, never write it. Empty if the artifact is not stored. */
    public Optional<Path> file(Hash digest) {
        Path p = files.blobPath(digest);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    public Optional<StoredArtifact> find(Hash digest) {
        return manifest(digest).map(m -> new StoredArtifact(digest, m.size(), m));
    }

    public Optional<ChunkManifest> manifest(Hash digest) {
        if (!contains(digest)) return Optional.empty();
        try {
            return Optional.of(files.readManifest(digest));
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.IO, "cannot read manifest of " + digest + ": " + e.getMessage(), e);
        }
    }

    /** A read-only channel on a stored artifact; the caller closes it. */
    public FileChannel openChannel(Hash digest) {
        try {
            return FileChannel.open(files.blobPath(digest), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ArtifactException(ArtifactException.Reason.NOT_FOUND, "artifact " + digest + " is not stored");
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.IO, "cannot open artifact " + digest + ": " + e.getMessage(), e);
        }
    }

    public List<Hash> list() throws IOException {
        return files.list();
    }

    /** The accounts that uploaded a stored artifact (empty if only the node stored it, or it is not stored). */
    public Set<Address> uploaders(Hash digest) {
        return contains(digest) ? usage.uploaders(digest) : Set.of();
    }

    /** Bytes {@code account} holds in this store: the artifacts it uploaded plus its partial uploads. */
    public long bytesHeldBy(Address account) {
        return usage.held(account);
    }

    /** Removes a stored artifact. Returns false if it was not stored. */
    public boolean delete(Hash digest) throws IOException {
        long size = find(digest).map(StoredArtifact::size).orElse(0L);
        usage.forget(digest, size);
        return files.delete(digest);
    }

    // ---------------------------------------------------------------- writing

    /** Stores a whole stream under {@code expected} as the node's own; refused (and nothing kept) unless the bytes hash to it. */
    public StoredArtifact put(Hash expected, InputStream in) {
        if (contains(expected)) return find(expected).orElseThrow();
        try (ArtifactUpload u = beginUpload(expected, 0)) {
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

    /** How many bytes of the node's own interrupted upload of {@code expected} are held durably: a resume sends from there. */
    public long resumeOffset(Hash expected) {
        return uploads.resumeOffset(new UploadSessions.Key(expected, null));
    }

    /** The same, for the upload of {@code expected} by {@code account}. */
    public long resumeOffset(Hash expected, Address account) {
        return uploads.resumeOffset(new UploadSessions.Key(expected, account));
    }

    /**
     * Starts (offset 0) or resumes (offset = {@link #resumeOffset}) the node's own upload of the artifact
     * {@code expected}. Only one such upload per digest runs at a time.
     */
    public ArtifactUpload beginUpload(Hash expected, long offset) {
        return uploads.begin(new UploadSessions.Key(expected, null), offset, -1);
    }

    /**
     * Starts or resumes an upload of {@code expected} by {@code account}, counted against its quota. Accounts upload
     * independently: an artifact already stored is uploaded again in full (the sender proves it has the bytes, and is
     * then recorded as an uploader too). {@code declaredLength}: the bytes still to come if known, else -1.
     */
    public ArtifactUpload beginUpload(Hash expected, long offset, Address account, long declaredLength) {
        return uploads.begin(new UploadSessions.Key(expected, account), offset, declaredLength);
    }

    /** Deletes partial uploads idle for longer than {@link Limits#staleUploadAge}. Returns how many were removed. */
    public int expireAbandonedUploads() {
        try {
            return uploads.expireAbandoned();
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.IO, "cannot expire partial uploads: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- verifying

    /**
     * Full check of a stored artifact against the digest the chain holds: the whole-file SHA-256 (one sequential pass)
     * runs alongside the per-chunk checks against the stored manifest (in parallel), so a failure names the damaged chunks.
     */
    public VerifyResult verify(Hash expected) {
        return verifier.verify(expected);
    }

    /**
     * Quick re-check against a manifest the caller trusts (one it pinned after a full check): only the chunks,
     * all in parallel. This is what a node runs on a schedule for the models it serves.
     */
    public VerifyResult verify(Hash expected, ChunkManifest trusted) {
        return verifier.verify(expected, trusted);
    }

    /**
     * Reads a stored artifact of at most {@code maxBytes} into a direct buffer and checks those bytes (whole digest and
     * every chunk, in parallel) before returning them, so what an engine loads is exactly what was checked.
     */
    public VerifiedBytes loadVerified(Hash expected, int maxBytes) {
        ChunkManifest m = manifest(expected).orElseThrow(
                () -> new ArtifactException(ArtifactException.Reason.NOT_FOUND, "artifact " + expected + " is not stored"));
        return verifier.loadVerified(expected, m, maxBytes);
    }

    /** SHA-256 of a whole file, streamed. */
    public static Hash wholeDigest(Path file) {
        return ArtifactVerifier.wholeDigest(file);
    }

    /** The manifest of any local file, computed in one streamed pass (no store involved). */
    public static ChunkManifest manifestOf(Path file, int chunkSize) throws IOException {
        return ArtifactVerifier.manifestOf(file, chunkSize);
    }

    Path blobPath(Hash digest) {
        return files.blobPath(digest);
    }

    @Override
    public void close() {
        uploads.close();
        verifier.close();
    }
}
