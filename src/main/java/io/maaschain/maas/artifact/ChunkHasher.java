package io.maaschain.maas.artifact;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Hashes a stream once into both the whole-file SHA-256 and the per-chunk SHA-256s of a {@link ChunkManifest}.
 * Not thread-safe; one per stream.
 */
public final class ChunkHasher {
    private final int chunkSize;
    private final MessageDigest whole = Sha256.newDigest();
    private final MessageDigest chunk = Sha256.newDigest();
    private final List<Hash> chunks = new ArrayList<>();
    private long total;
    private int inChunk;

    public ChunkHasher(int chunkSize) {
        ChunkManifest.checkChunkSize(chunkSize);
        this.chunkSize = chunkSize;
    }

    public void update(byte[] buf, int off, int len) {
        update(ByteBuffer.wrap(buf, off, len));
    }

    public void update(ByteBuffer data) {
        while (data.hasRemaining()) {
            int n = Math.min(data.remaining(), chunkSize - inChunk);
            ByteBuffer slice = data.slice(data.position(), n);
            whole.update(slice.duplicate());
            chunk.update(slice);
            data.position(data.position() + n);
            inChunk += n;
            total += n;
            if (inChunk == chunkSize) {
                chunks.add(Hash.wrap(chunk.digest()));
                inChunk = 0;
            }
        }
    }

    public long total() {
        return total;
    }

    /** Hashes of the chunks completed so far. */
    public List<Hash> completedChunks() {
        return List.copyOf(chunks);
    }

    /** Ends the stream: the last, shorter chunk (if any) is closed and the manifest returned. The hasher is spent. */
    public ChunkManifest finish() {
        if (inChunk > 0) {
            chunks.add(Hash.wrap(chunk.digest()));
            inChunk = 0;
        }
        return new ChunkManifest(Hash.wrap(whole.digest()), total, chunkSize, chunks);
    }
}
