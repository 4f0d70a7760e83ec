package io.maaschain.maas.artifact;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks stored artifacts against their digest and manifest, the chunks in parallel on a pool of its own: the full
 * check (whole-file SHA-256 alongside every chunk), the quick re-check against a pinned manifest, and the in-memory
 * load an inference engine gets, checked on the very bytes it is handed.
 */
final class ArtifactVerifier implements AutoCloseable {
    static final int IO_BUFFER = 1 << 20;

    private final BlobFiles files;
    private final ExecutorService pool;

    ArtifactVerifier(BlobFiles files, int threads) {
        this.files = files;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "artifact-verify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    VerifyResult verify(Hash expected) {
        Path blob = files.blobPath(expected);
        if (!Files.isRegularFile(blob)) return VerifyResult.failed(expected, null, List.of(), "not stored");
        ChunkManifest m;
        try {
            m = files.readManifest(expected);
        } catch (IOException | RuntimeException e) {
            Hash actual = wholeDigest(blob);
            return actual.equals(expected) ? VerifyResult.passed(expected, actual)
                    : VerifyResult.failed(expected, actual, List.of(), "file hashes to " + actual + " (manifest unreadable: " + e.getMessage() + ")");
        }
        return check(blob, expected, m, true);
    }

    VerifyResult verify(Hash expected, ChunkManifest trusted) {
        if (!trusted.artifactDigest().equals(expected)) {
            return VerifyResult.failed(expected, null, List.of(), "the manifest is for artifact " + trusted.artifactDigest());
        }
        Path blob = files.blobPath(expected);
        if (!Files.isRegularFile(blob)) return VerifyResult.failed(expected, null, List.of(), "not stored");
        return check(blob, expected, trusted, false);
    }

    ArtifactStore.VerifiedBytes loadVerified(Hash expected, ChunkManifest m, int maxBytes) {
        if (!m.artifactDigest().equals(expected)) {
            throw new ArtifactException(ArtifactException.Reason.DIGEST_MISMATCH, "the stored manifest of " + expected + " is for " + m.artifactDigest());
        }
        if (m.size() > maxBytes) {
            throw new ArtifactException(ArtifactException.Reason.TOO_LARGE, "artifact " + expected + " has " + m.size() + " bytes, more than " + maxBytes);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect((int) m.size());
        try (FileChannel ch = FileChannel.open(files.blobPath(expected), StandardOpenOption.READ)) {
            if (ch.size() != m.size()) {
                throw new ArtifactException(ArtifactException.Reason.DIGEST_MISMATCH,
                        "artifact " + expected + " has " + ch.size() + " bytes, its manifest says " + m.size());
            }
            BlobFiles.readFully(ch, buf, 0);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ArtifactException(ArtifactException.Reason.NOT_FOUND, "artifact " + expected + " is not stored");
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
        return new ArtifactStore.VerifiedBytes(buf.position(0), m);
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
    static Hash wholeDigest(Path file) {
        MessageDigest md = Sha256.newDigest();
        byte[] buf = new byte[IO_BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Hash.wrap(md.digest());
    }

    /** The manifest of any local file, computed in one streamed pass. */
    static ChunkManifest manifestOf(Path file, int chunkSize) throws IOException {
        ChunkHasher h = new ChunkHasher(chunkSize);
        byte[] buf = new byte[IO_BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) h.update(buf, 0, n);
        }
        return h.finish();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
