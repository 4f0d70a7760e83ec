package io.maaschain.maas.artifact;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import java.util.Arrays;
import java.util.List;

/**
 * What an interrupted upload has made durable (docs/artifacts.md, "Upload checkpoint"): the first {@code length}
 * bytes of the partial file, a whole number of chunks, with the hash of each, so that a resume can detect bytes
 * damaged by a crash before trusting them.
 */
record UploadCheckpoint(Hash expected, int chunkSize, long length, List<Hash> chunkHashes) {
    static final byte[] MAGIC = {'M', 'C', 'A', 'U'};
    static final int VERSION = 1;

    UploadCheckpoint {
        chunkHashes = List.copyOf(chunkHashes);
        if (length != (long) chunkHashes.size() * chunkSize) throw new IllegalArgumentException("checkpoint length is not its chunks");
    }

    byte[] encode() {
        ByteWriter w = new ByteWriter(64 + chunkHashes.size() * Hash.LENGTH)
                .raw(MAGIC).u8(VERSION).raw(expected.toBytes()).u32(chunkSize).u64(length).u32(chunkHashes.size());
        chunkHashes.forEach(h -> w.raw(h.toBytes()));
        return w.toByteArray();
    }

    static UploadCheckpoint decode(byte[] bytes, long maxArtifactBytes) {
        ByteReader r = new ByteReader(bytes);
        if (!Arrays.equals(r.raw(4, "magic"), MAGIC)) throw new CodecException("not an upload checkpoint");
        if (r.u8("version") != VERSION) throw new CodecException("unsupported checkpoint version");
        Hash expected = Hash.wrap(r.raw(Hash.LENGTH, "digest"));
        long chunkSize = r.u32("chunk size");
        if (chunkSize < ChunkManifest.MIN_CHUNK_SIZE || chunkSize > ChunkManifest.MAX_CHUNK_SIZE || Long.bitCount(chunkSize) != 1) {
            throw new CodecException("bad chunk size");
        }
        long length = r.u63("length");
        long n = r.u32("chunk count");
        if (length > maxArtifactBytes || n * chunkSize != length || r.remaining() != n * Hash.LENGTH) {
            throw new CodecException("inconsistent checkpoint");
        }
        Hash[] hashes = new Hash[(int) n];
        for (int i = 0; i < n; i++) hashes[i] = Hash.wrap(r.raw(Hash.LENGTH, "chunk hash"));
        r.expectEnd();
        return new UploadCheckpoint(expected, (int) chunkSize, length, List.of(hashes));
    }
}
