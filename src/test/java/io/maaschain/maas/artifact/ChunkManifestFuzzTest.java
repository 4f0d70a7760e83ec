package io.maaschain.maas.artifact;

import static io.maaschain.testing.FuzzInvariant.roundTrip;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.maaschain.codec.CodecException;
import java.util.List;

/** Chunk manifests, as a peer sends them (ArtifactManifest frames) or as they lie in the artifact store. */
class ChunkManifestFuzzTest {
    @FuzzTest
    void manifest(byte[] input) {
        roundTrip(input, b -> ChunkManifest.decode(b, Long.MAX_VALUE), ChunkManifest::encode, List.of(CodecException.class));
    }
}
