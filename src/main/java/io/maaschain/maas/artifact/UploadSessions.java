package io.maaschain.maas.artifact;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads in progress or interrupted, under {@code uploads/}: one per (digest, uploader), where the uploader is an
 * account or the node itself (replication, imports). Admits a new upload only within the bounds (pending uploads, the
 * account's quota, the disk reserve), drops idle partial uploads to make room, and expires abandoned ones.
 */
final class UploadSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UploadSessions.class);
    /** {@code <digest hex>[-<uploader address hex>].part|.ckpt}; no address: the node's own upload. */
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{64})(?:-([0-9a-f]{40}))?\\.(part|ckpt)");

    /** Who uploads what: {@code account} is null for the node's own uploads, which no quota limits. */
    record Key(Hash digest, Address account) {
        String baseName() {
            return account == null ? digest.toHex() : digest.toHex() + "-" + io.maaschain.codec.Hex.encode(account.toBytes());
        }
    }

    final Path dir;
    final BlobFiles files;
    final ArtifactStore.Limits limits;
    final UploadPolicy policy;
    final AccountUsage usage;
    private final ConcurrentHashMap<Key, ArtifactUpload> active = new ConcurrentHashMap<>();
    /** Held while a session registers and while an idle part is deleted, so no part is deleted under a starting upload. */
    private final Object deleting = new Object();

    UploadSessions(Path dir, BlobFiles files, ArtifactStore.Limits limits, UploadPolicy policy, AccountUsage usage) {
        this.dir = dir;
        this.files = files;
        this.limits = limits;
        this.policy = policy;
        this.usage = usage;
    }

    Path part(Key k) {
        return dir.resolve(k.baseName() + ".part");
    }

    Path checkpointFile(Key k) {
        return dir.resolve(k.baseName() + ".ckpt");
    }

    static Optional<Key> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) return Optional.empty();
        Address account = m.group(2) == null ? null : Address.wrap(io.maaschain.codec.Hex.decode(m.group(2)));
        return Optional.of(new Key(Hash.fromHex(m.group(1)), account));
    }

    long resumeOffset(Key k) {
        try {
            return readCheckpoint(k).map(UploadCheckpoint::length).orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }

    Optional<UploadCheckpoint> readCheckpoint(Key k) throws IOException {
        Path p = checkpointFile(k);
        if (!Files.isRegularFile(p)) return Optional.empty();
        try {
            UploadCheckpoint c = UploadCheckpoint.decode(Files.readAllBytes(p), limits.maxArtifactBytes());
            return c.expected().equals(k.digest()) ? Optional.of(c) : Optional.empty();
        } catch (CodecException | IllegalArgumentException e) {
            LOG.warn("ignoring unreadable upload checkpoint {}: {}", p, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Starts or resumes the upload {@code k} at {@code offset}. {@code declaredLength} is the length of the bytes still
     * to come when the sender said it (an HTTP Content-Length), else -1: with it the quota and the disk reserve are
     * checked before anything is read.
     */
    ArtifactUpload begin(Key k, long offset, long declaredLength) {
        if (offset < 0) throw new ArtifactException(ArtifactException.Reason.INVALID, "negative upload offset");
        if (offset > limits.maxArtifactBytes()) {
            throw new ArtifactException(ArtifactException.Reason.TOO_LARGE, "offset " + offset + " is beyond the maximum artifact size " + limits.maxArtifactBytes());
        }
        if (k.account() == null && files.contains(k.digest())) {
            throw new ArtifactException(ArtifactException.Reason.CONFLICT, "artifact " + k.digest() + " is already stored");
        }
        if (k.account() != null && declaredLength > 0) {
            long free = usage.quota() - usage.held(k.account());
            long partBytes = partSize(k);
            if (declaredLength + offset - partBytes > free) {
                throw new ArtifactException(ArtifactException.Reason.QUOTA_EXCEEDED, "account " + k.account() + " holds "
                        + usage.held(k.account()) + " bytes of its quota of " + usage.quota() + "; this upload needs " + (declaredLength + offset - partBytes) + " more");
            }
        }
        checkFreeSpace(Math.max(0, declaredLength));
        ArtifactUpload u = new ArtifactUpload(this, k);
        synchronized (deleting) {
            if (active.putIfAbsent(k, u) != null) {
                throw new ArtifactException(ArtifactException.Reason.CONFLICT, "an upload of " + k.digest() + " is already in progress");
            }
        }
        try {
            makeRoomFor(k);
            u.open(offset);
            return u;
        } catch (IOException e) {
            u.release();
            throw new ArtifactException(ArtifactException.Reason.IO, "cannot start upload of " + k.digest() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            u.release();
            throw e;
        }
    }

    /** Refuses (INSUFFICIENT_STORAGE) when writing {@code more} bytes would leave less free space than the reserve. */
    void checkFreeSpace(long more) {
        long free;
        try {
            free = policy.freeSpace().usableBytes(dir);
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.IO, "cannot measure free disk space: " + e.getMessage(), e);
        }
        if (free - more < policy.diskReserveBytes()) {
            throw new ArtifactException(ArtifactException.Reason.INSUFFICIENT_STORAGE, "the node keeps " + policy.diskReserveBytes()
                    + " bytes of disk free; " + free + " are free" + (more > 0 ? " and this upload needs " + more : "") + "; nothing was stored");
        }
    }

    void ended(ArtifactUpload u) {
        active.remove(u.key(), u);
    }

    private long partSize(Key k) {
        try {
            return Files.size(part(k));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Deletes partial uploads idle for longer than the expiry (none that is running). Returns how many it removed. */
    int expireAbandoned() throws IOException {
        Instant staleBefore = policy.clock().instant().minus(limits.staleUploadAge());
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.part")) {
            for (Path p : ds) {
                Optional<Key> k = parse(p.getFileName().toString());
                if (k.isEmpty() || !lastModified(p).toInstant().isBefore(staleBefore)) continue;
                synchronized (deleting) { // an upload (re)starting now is either seen here or starts on a deleted part
                    if (active.containsKey(k.get())) continue;
                    LOG.info("removing abandoned partial upload {}", p.getFileName());
                    deletePart(k.get());
                    removed++;
                }
            }
        }
        return removed;
    }

    private void makeRoomFor(Key key) throws IOException {
        expireAbandoned();
        List<Path> idle = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.part")) {
            for (Path p : ds) {
                Optional<Key> k = parse(p.getFileName().toString());
                if (k.isPresent() && !k.get().equals(key) && !active.containsKey(k.get())) idle.add(p);
            }
        }
        int others = idle.size() + (int) active.keySet().stream().filter(k -> !k.equals(key)).count();
        if (others < limits.maxPendingUploads()) return;
        if (idle.isEmpty()) {
            throw new ArtifactException(ArtifactException.Reason.BUSY, limits.maxPendingUploads() + " uploads are in progress; try again later");
        }
        idle.sort(Comparator.comparing(UploadSessions::lastModified));
        for (int i = 0; i < idle.size() && others >= limits.maxPendingUploads(); i++, others--) {
            Key k = parse(idle.get(i).getFileName().toString()).orElseThrow();
            synchronized (deleting) {
                if (active.containsKey(k)) continue;
                LOG.info("dropping idle partial upload {} to make room", idle.get(i).getFileName());
                deletePart(k);
            }
        }
    }

    private static FileTime lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Deletes a partial upload and its checkpoint, giving its bytes back to its account. */
    void deletePart(Key k) throws IOException {
        long size = partSize(k);
        try {
            if (Files.deleteIfExists(part(k)) && k.account() != null) usage.release(k.account(), size);
        } catch (NoSuchFileException e) {
            // raced with another delete
        }
        Files.deleteIfExists(checkpointFile(k));
    }

    /** On open: removes temp files, checkpoints without a part and expired parts; counts the rest against their accounts. */
    void recover() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                String n = f.getFileName().toString();
                if (n.endsWith(".tmp")) {
                    Files.deleteIfExists(f);
                } else if (n.endsWith(".ckpt") && !Files.exists(f.resolveSibling(n.replace(".ckpt", ".part")))) {
                    Files.deleteIfExists(f);
                }
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.part")) {
            for (Path p : ds) {
                parse(p.getFileName().toString()).filter(k -> k.account() != null).ifPresent(k -> usage.add(k.account(), partSize(k)));
            }
        }
        expireAbandoned();
    }

    @Override
    public void close() {
        active.values().forEach(ArtifactUpload::close);
    }
}
