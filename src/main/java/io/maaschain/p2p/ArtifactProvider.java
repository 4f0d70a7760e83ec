package io.maaschain.p2p;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Where the peer-to-peer layer finds the artifacts it serves to peers (docs/p2p.md, "Artifacts"). The node implements it
 * over its artifact store and the chain's access rules; the p2p layer knows neither. Methods are called on network
 * threads, one request at a time per peer, and must not block for long.
 */
public interface ArtifactProvider {
    /** Serves nothing: every request is answered not found. */
    ArtifactProvider NONE = new ArtifactProvider() {
        @Override
        public boolean mayServe(Hash digest, PublicKey peer) {
            return true;
        }

        @Override
        public Optional<byte[]> manifest(Hash digest) {
            return Optional.empty();
        }

        @Override
        public Optional<ByteBuffer> readChunk(Hash digest, int index, int offset, int length) {
            return Optional.empty();
        }
    };

    /**
     * Whether the peer with this node key may have this artifact. Asked before anything is looked up, so a refusal
     * tells the peer nothing about what this node stores.
     */
    boolean mayServe(Hash digest, PublicKey peer);

    /** The canonical encoding of the chunk manifest of a stored artifact (docs/artifacts.md), empty if not stored. */
    Optional<byte[]> manifest(Hash digest);

    /**
     * Exactly {@code length} bytes at {@code offset} within chunk {@code index} of the manifest {@link #manifest} returns,
     * read from disk for this request (never the whole artifact), positioned at 0. Empty if the artifact is not stored
     * or the range is not inside that chunk.
     */
    Optional<ByteBuffer> readChunk(Hash digest, int index, int offset, int length);
}
