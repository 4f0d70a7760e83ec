package io.maaschain.maas.artifact;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.util.List;
import java.util.Objects;

/**
 * The per-chunk manifest of an artifact (docs/artifacts.md, "Manifest"). The artifact of {@code size} bytes is cut into
 * {@code ceil(size / chunkSize)} chunks; chunk {@code i} covers bytes {@code [i*chunkSize, min((i+1)*chunkSize, size))}
 * and {@code chunkHashes[i]} is the plain SHA-256 of those bytes. {@code artifactDigest} is the SHA-256 of the whole
 * file, the value {@code RegisterModel} puts on chain. Offsets and lengths are implied, so every manifest has exactly
 * one encoding, and {@link #hash()} is SHA-256 of that encoding.
 */
public record ChunkManifest(Hash artifactDigest, long size, int chunkSize, List<Hash> chunkHashes) {
    /** "MCAM": maaschain artifact manifest. */
    public static final byte[] MAGIC = {'M', 'C', 'A', 'M'};
    public static final int VERSION = 1;
    public static final int DEFAULT_CHUNK_SIZE = 4 << 20;
    public static final int MIN_CHUNK_SIZE = 64 << 10;
    public static final int MAX_CHUNK_SIZE = 64 << 20;
    /** 2^24 chunks: 64 TiB at the default chunk size; keeps a manifest under 513 MiB in the worst case and 8 KiB per GiB normally. */
    public static final long MAX_CHUNKS = 1L << 24;
    /** Bytes before the chunk hashes: magic, version, digest, size, chunk size, chunk count. */
    public static final int HEADER_LENGTH = 4 + 1 + Hash.LENGTH + 8 + 4 + 4;

    public ChunkManifest {
        Objects.requireNonNull(artifactDigest, "artifactDigest");
        chunkHashes = List.copyOf(chunkHashes);
        checkChunkSize(chunkSize);
        if (size < 0) throw new IllegalArgumentException("negative artifact size");
        long n = chunkCount(size, chunkSize);
        if (n > MAX_CHUNKS) throw new IllegalArgumentException("artifact has " + n + " chunks, more than " + MAX_CHUNKS);
        if (chunkHashes.size() != n) {
            throw new IllegalArgumentException("a " + size + "-byte artifact in " + chunkSize + "-byte chunks has " + n
                    + " chunks, manifest lists " + chunkHashes.size());
        }
    }

    public static void checkChunkSize(int chunkSize) {
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE || Integer.bitCount(chunkSize) != 1) {
            throw new IllegalArgumentException("chunk size must be a power of two from 64 KiB to 64 MiB: " + chunkSize);
        }
    }

    public static long chunkCount(long size, int chunkSize) {
        return size == 0 ? 0 : (size - 1) / chunkSize + 1;
    }

    public int chunkCount() {
        return chunkHashes.size();
    }

    public long chunkOffset(int index) {
        Objects.checkIndex(index, chunkHashes.size());
        return (long) index * chunkSize;
    }

    public int chunkLength(int index) {
        long offset = chunkOffset(index);
        return (int) Math.min(chunkSize, size - offset);
    }

    public Hash chunkHash(int index) {
        return chunkHashes.get(index);
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(HEADER_LENGTH + chunkHashes.size() * Hash.LENGTH)
                .raw(MAGIC).u8(VERSION).raw(artifactDigest.toBytes()).u64(size).u32(chunkSize).u32(chunkHashes.size());
        chunkHashes.forEach(h -> w.raw(h.toBytes()));
        return w.toByteArray();
    }

    /** SHA-256 of {@link #encode()}: names this manifest, e.g. in a peer's offer or a signed statement. */
    public Hash hash() {
        return Sha256.hash(encode());
    }

    /** Decodes a manifest, refusing anything but the one canonical encoding. {@code maxSize} bounds the artifact size it may describe. */
    public static ChunkManifest decode(byte[] bytes, long maxSize) {
        ByteReader r = new ByteReader(bytes);
        byte[] magic = r.raw(4, "magic");
        if (!java.util.Arrays.equals(magic, MAGIC)) throw new CodecException("not an artifact manifest (bad magic)");
        int version = r.u8("version");
        if (version != VERSION) throw new CodecException("unsupported manifest version " + version);
        Hash digest = Hash.wrap(r.raw(Hash.LENGTH, "artifact digest"));
        long size = r.u63("size");
        if (size > maxSize) throw new CodecException("manifest describes " + size + " bytes, more than the limit " + maxSize);
        long chunkSize = r.u32("chunk size");
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE || Long.bitCount(chunkSize) != 1) {
            throw new CodecException("bad chunk size " + chunkSize);
        }
        long count = r.u32("chunk count");
        if (count != chunkCount(size, (int) chunkSize)) throw new CodecException("chunk count " + count + " does not match size " + size);
        if (count > MAX_CHUNKS || r.remaining() != count * Hash.LENGTH) throw new CodecException("manifest length does not match its chunk count");
        Hash[] hashes = new Hash[(int) count];
        for (int i = 0; i < count; i++) hashes[i] = Hash.wrap(r.raw(Hash.LENGTH, "chunk hash"));
        r.expectEnd();
        return new ChunkManifest(digest, size, (int) chunkSize, List.of(hashes));
    }
}
