package io.maaschain.maas.artifact;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The content-addressed part of the store on disk: where an artifact and its manifest live under {@code sha256/},
 * how a finished upload is committed there atomically, and the durable-write helpers the other parts share.
 */
final class BlobFiles {
    static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private final Path blobs;

    BlobFiles(Path blobs) {
        this.blobs = blobs;
    }

    Path dir() {
        return blobs;
    }

    Path blobPath(Hash digest) {
        String hex = digest.toHex();
        return blobs.resolve(hex.substring(0, 2)).resolve(hex);
    }

    Path manifestPath(Hash digest) {
        return sibling(digest, ".manifest");
    }

    /** A file kept next to the artifact, named by the artifact's digest and {@code suffix}. */
    Path sibling(Hash digest, String suffix) {
        Path b = blobPath(digest);
        return b.resolveSibling(b.getFileName() + suffix);
    }

    boolean contains(Hash digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    ChunkManifest readManifest(Hash digest) throws IOException {
        Path p = manifestPath(digest);
        if (Files.size(p) > ChunkManifest.HEADER_LENGTH + ChunkManifest.MAX_CHUNKS * Hash.LENGTH) throw new IOException("manifest too large");
        ChunkManifest m = ChunkManifest.decode(Files.readAllBytes(p), Long.MAX_VALUE);
        if (!m.artifactDigest().equals(digest)) throw new CodecException("manifest of " + digest + " names " + m.artifactDigest());
        return m;
    }

    List<Hash> list() throws IOException {
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

    /** Removes an artifact and its manifest. Returns false if it was not stored. */
    boolean delete(Hash digest) throws IOException {
        boolean existed = Files.deleteIfExists(blobPath(digest));
        Files.deleteIfExists(manifestPath(digest));
        return existed;
    }

    /**
     * Makes a fully received and checked upload visible: manifest first (atomically), then the artifact renamed into
     * place, then the directory synced. If another upload committed the same digest meanwhile, {@code part} is dropped.
     */
    synchronized void commit(Hash digest, Path part, ChunkManifest m) throws IOException {
        Path blob = blobPath(digest);
        if (Files.isRegularFile(blob)) {
            Files.deleteIfExists(part);
            return;
        }
        Files.createDirectories(blob.getParent());
        writeAtomically(manifestPath(digest), m.encode());
        move(part, blob);
        fsyncDirectory(blob.getParent());
        blob.toFile().setReadOnly();
    }

    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        move(tmp, target);
        fsyncDirectory(target.getParent());
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename atomically: " + e.getMessage(), e);
        }
    }

    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory for fsync (Windows); the rename is still atomic there.
        }
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException("file ended early at " + pos);
            pos += n;
        }
    }
}
