package io.maaschain.maas.artifact;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upload in progress ({@link ArtifactStore#beginUpload}): bytes are appended in order, hashed as they come, counted
 * against the uploading account's quota, made durable at chunk boundaries, and committed to the store only if they hash
 * to the expected digest. Close it when done; closed without {@link #complete} it keeps its durable part for a resume.
 */
public final class ArtifactUpload implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactUpload.class);
    /** Free disk space is measured again after this many bytes written. */
    static final long SPACE_CHECK_BYTES = 8L << 20;

    private final UploadSessions sessions;
    private final UploadSessions.Key key;
    private final Path part;
    private final Path checkpoint;
    private final int chunkSize;
    private FileChannel channel;
    private ChunkHasher hasher;
    private long lastCheckpoint;
    private long lastSpaceCheck;
    /** Bytes of the part file counted against the account (its size on disk while the upload is open). */
    private long charged;
    private boolean finished;

    ArtifactUpload(UploadSessions sessions, UploadSessions.Key key) {
        this.sessions = sessions;
        this.key = key;
        this.part = sessions.part(key);
        this.checkpoint = sessions.checkpointFile(key);
        this.chunkSize = sessions.limits.chunkSize();
    }

    UploadSessions.Key key() {
        return key;
    }

    void open(long offset) throws IOException {
        hasher = new ChunkHasher(chunkSize);
        charged = Files.exists(part) ? Files.size(part) : 0;
        channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (offset == 0) {
            truncate(0);
            Files.deleteIfExists(checkpoint);
            lastCheckpoint = 0;
            return;
        }
        Optional<UploadCheckpoint> ck = sessions.readCheckpoint(key).filter(c -> c.chunkSize() == chunkSize);
        long durable = ck.map(UploadCheckpoint::length).orElse(0L);
        if (offset > durable || offset > channel.size()) {
            throw new ArtifactException(ArtifactException.Reason.CONFLICT,
                    "the node holds " + durable + " bytes of this upload; resume from offset " + durable + ", not " + offset);
        }
        // Re-hash what is kept, checking every whole chunk against the checkpoint: a crash may have damaged it.
        List<Hash> recorded = ck.orElseThrow().chunkHashes();
        ByteBuffer buf = ByteBuffer.allocate(chunkSize);
        for (long pos = 0; pos < offset; ) {
            int chunk = (int) (pos / chunkSize);
            int len = (int) Math.min(chunkSize, offset - pos);
            buf.clear().limit(len);
            BlobFiles.readFully(channel, buf, pos);
            buf.flip();
            if (len == chunkSize && !Sha256.hash(buf.array(), 0, len).equals(recorded.get(chunk))) {
                truncate(pos);
                writeCheckpoint(pos, recorded.subList(0, chunk));
                throw new ArtifactException(ArtifactException.Reason.CONFLICT,
                        "stored bytes of this upload from offset " + pos + " were damaged; resume from offset " + pos);
            }
            hasher.update(buf);
            pos += len;
        }
        truncate(offset);
        lastCheckpoint = offset - offset % chunkSize;
        lastSpaceCheck = offset;
    }

    /** An upload that could not start: closes what it opened, keeping the part file as it is, and ends the session. */
    void release() {
        finished = true;
        try {
            if (channel != null) channel.close();
        } catch (IOException e) {
            LOG.warn("cannot close partial upload {}: {}", part, e.getMessage());
        } finally {
            sessions.ended(this);
        }
    }

    private void truncate(long size) throws IOException {
        channel.truncate(size);
        Address account = key.account();
        if (account != null && charged > size) sessions.usage.release(account, charged - size);
        charged = Math.min(charged, size);
    }

    public Hash expected() {
        return key.digest();
    }

    /** Bytes received so far (the offset the next appended byte lands at). */
    public long offset() {
        return hasher.total();
    }

    /**
     * Appends everything {@code in} yields until its end. Over the size limit, the account's quota or the disk reserve
     * the upload is discarded (TOO_LARGE, QUOTA_EXCEEDED, INSUFFICIENT_STORAGE); if reading {@code in} fails the whole
     * chunks received so far are made durable (INTERRUPTED).
     */
    public void append(InputStream in) {
        long max = sessions.limits.maxArtifactBytes();
        byte[] buf = new byte[ArtifactVerifier.IO_BUFFER];
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
            if (hasher.total() + n > max) {
                abort();
                throw new ArtifactException(ArtifactException.Reason.TOO_LARGE, "artifact is larger than the maximum of " + max + " bytes");
            }
            admit(n);
            try {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                long pos = hasher.total();
                while (bb.hasRemaining()) pos += channel.write(bb, pos);
            } catch (IOException e) {
                throw new ArtifactException(ArtifactException.Reason.IO, "cannot write upload: " + e.getMessage(), e);
            }
            hasher.update(buf, 0, n);
            if (hasher.total() - lastCheckpoint >= sessions.limits.checkpointEveryBytes()) checkpoint();
        }
    }

    /** Counts {@code n} more bytes against the quota and, now and then, the disk reserve; discards the upload if refused. */
    private void admit(int n) {
        try {
            if (key.account() != null) {
                sessions.usage.charge(key.account(), n);
                charged += n;
            }
            if (hasher.total() + n - lastSpaceCheck >= SPACE_CHECK_BYTES) {
                sessions.checkFreeSpace(0);
                lastSpaceCheck = hasher.total() + n;
            }
        } catch (ArtifactException e) {
            abort();
            throw e;
        }
    }

    /**
     * Ends the upload: if the bytes hash to the expected digest, the artifact becomes visible atomically (or, if it
     * already was, the sender is recorded as one more uploader); if not, everything received is deleted and
     * DIGEST_MISMATCH thrown.
     */
    public StoredArtifact complete() {
        ChunkManifest m = hasher.finish();
        finished = true;
        Hash expected = key.digest();
        if (!m.artifactDigest().equals(expected)) {
            abort();
            throw new ArtifactException(ArtifactException.Reason.DIGEST_MISMATCH,
                    "the " + m.size() + " bytes received hash to " + m.artifactDigest() + ", not " + expected + "; nothing was stored");
        }
        try {
            channel.force(true);
            channel.close();
            sessions.files.commit(expected, part, m);
            Files.deleteIfExists(checkpoint);
            Address account = key.account();
            if (account != null && !sessions.usage.record(expected, account)) sessions.usage.release(account, charged);
            charged = 0;
            LOG.info("stored artifact {} ({} bytes, {} chunks, manifest {})", expected, m.size(), m.chunkCount(), m.hash());
            return new StoredArtifact(expected, m.size(), m);
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.IO, "cannot commit artifact " + expected + ": " + e.getMessage(), e);
        } finally {
            sessions.ended(this);
        }
    }

    /** Drops everything received. */
    public void abort() {
        finished = true;
        try {
            channel.close();
            Files.deleteIfExists(part);
            Files.deleteIfExists(checkpoint);
            if (key.account() != null) sessions.usage.release(key.account(), charged);
            charged = 0;
        } catch (IOException e) {
            LOG.warn("cannot delete partial upload {}: {}", part, e.getMessage());
        } finally {
            sessions.ended(this);
        }
    }

    private void checkpoint() {
        long durable = hasher.total() - hasher.total() % chunkSize;
        if (durable <= lastCheckpoint && durable != 0) return;
        try {
            channel.force(false);
            List<Hash> chunks = hasher.completedChunks();
            writeCheckpoint(durable, chunks.subList(0, (int) (durable / chunkSize)));
            lastCheckpoint = durable;
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.IO, "cannot checkpoint upload: " + e.getMessage(), e);
        }
    }

    private void checkpointQuietly() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            LOG.warn("cannot checkpoint interrupted upload of {}: {}", key.digest(), e.getMessage());
        }
    }

    private void writeCheckpoint(long length, List<Hash> chunks) throws IOException {
        BlobFiles.writeAtomically(checkpoint, new UploadCheckpoint(key.digest(), chunkSize, length, chunks).encode());
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
            sessions.ended(this);
        }
    }
}
