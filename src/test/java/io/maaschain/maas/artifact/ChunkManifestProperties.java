package io.maaschain.maas.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.maas.inference.Tensor;
import io.maaschain.maas.inference.TensorDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The manifest encoding of docs/artifacts.md: the worked example, canonical round trips, and refusal of any other bytes. */
class ChunkManifestProperties {

    @Example
    void workedExampleOfDocsArtifactsMd() {
        byte[] art = new byte[100_000];
        for (int i = 0; i < art.length; i++) art[i] = (byte) (i % 251);
        ChunkHasher h = new ChunkHasher(64 * 1024);
        h.update(art, 0, art.length);
        ChunkManifest m = h.finish();
        assertThat(m.artifactDigest().toHex()).isEqualTo("cd2df694e424bc7968cc37f47751019e5ca0cd1bdf2e479ea537c3a1c32ee1aa");
        assertThat(m.chunkHash(0).toHex()).isEqualTo("4b640d85ab3ba30fd02c9fc9db4a8928f416322ad27022ea58a65aaee68a4df2");
        assertThat(m.chunkHash(1).toHex()).isEqualTo("fd4f824303c1aca6bbb7ba7bbcd6148fa1a796a873fe600314adcf21537d47a7");
        assertThat(m.chunkLength(1)).isEqualTo(34464);
        assertThat(Hex.encode(m.encode())).isEqualTo("4d43414d01cd2df694e424bc7968cc37f47751019e5ca0cd1bdf2e479ea537c3a1c32ee1aa"
                + "00000000000186a00001000000000002"
                + "4b640d85ab3ba30fd02c9fc9db4a8928f416322ad27022ea58a65aaee68a4df2"
                + "fd4f824303c1aca6bbb7ba7bbcd6148fa1a796a873fe600314adcf21537d47a7");
        assertThat(m.hash().toHex()).isEqualTo("f486159c21fcba7500837a55c7e42b589766c2134ea46d97439be128e47e78da");
    }

    @Example
    void workedResponseHashOfDocsInferenceMd() {
        Hash h = TensorDigest.of(List.of(Tensor.int64("label", new long[] {2}, 0, 2)));
        assertThat(h.toHex()).isEqualTo("aa3aa7428ec24e72bba316a2af778f45e851bd60c839ae60503e1726518f200a");
    }

    static ChunkManifest manifest(long size, int chunkSize, int seed) {
        int n = (int) ChunkManifest.chunkCount(size, chunkSize);
        List<Hash> hashes = new ArrayList<>();
        for (int i = 0; i < n; i++) hashes.add(Sha256.hash(new byte[] {(byte) seed, (byte) i, (byte) (i >> 8)}));
        return new ChunkManifest(Sha256.hash(new byte[] {(byte) seed}), size, chunkSize, hashes);
    }

    @Property(tries = 200)
    void encodingRoundTripsAndIsTheOnlyOne(@ForAll @LongRange(min = 0, max = 1L << 30) long size,
                                           @ForAll @IntRange(min = 16, max = 26) int log2Chunk, @ForAll int seed) {
        ChunkManifest m = manifest(size, 1 << log2Chunk, seed);
        byte[] enc = m.encode();
        assertThat(ChunkManifest.decode(enc, Long.MAX_VALUE)).isEqualTo(m);
        assertThat(enc.length).isEqualTo(ChunkManifest.HEADER_LENGTH + m.chunkCount() * 32);
        assertThatThrownBy(() -> ChunkManifest.decode(Arrays.copyOf(enc, enc.length + 1), Long.MAX_VALUE)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> ChunkManifest.decode(Arrays.copyOf(enc, enc.length - 1), Long.MAX_VALUE)).isInstanceOf(CodecException.class);
        if (size > 0) assertThatThrownBy(() -> ChunkManifest.decode(enc, size - 1)).isInstanceOf(CodecException.class);
    }

    @Property(tries = 300)
    void chunksTileTheArtifactExactly(@ForAll @LongRange(min = 1, max = 1L << 32) long size, @ForAll @IntRange(min = 16, max = 26) int log2Chunk) {
        int cs = 1 << log2Chunk;
        long n = ChunkManifest.chunkCount(size, cs);
        if (n > 5000) return;
        ChunkManifest m = manifest(size, cs, 1);
        long next = 0;
        for (int i = 0; i < m.chunkCount(); i++) {
            assertThat(m.chunkOffset(i)).isEqualTo(next);
            assertThat(m.chunkLength(i)).isBetween(1, cs);
            if (i < m.chunkCount() - 1) assertThat(m.chunkLength(i)).isEqualTo(cs);
            next += m.chunkLength(i);
        }
        assertThat(next).isEqualTo(size);
    }

    @Property(tries = 100)
    void anyChangedHeaderByteIsRefusedOrChangesTheManifest(@ForAll @IntRange(min = 0, max = 52) int index, @ForAll @IntRange(min = 1, max = 255) int xor) {
        ChunkManifest m = manifest(100_000, 64 * 1024, 3);
        byte[] enc = m.encode();
        enc[index] ^= (byte) xor;
        try {
            ChunkManifest d = ChunkManifest.decode(enc, Long.MAX_VALUE);
            assertThat(d).isNotEqualTo(m);
            assertThat(d.hash()).isNotEqualTo(m.hash());
        } catch (CodecException | IllegalArgumentException refused) {
            // refused: fine
        }
    }
}
