package io.maaschain.p2p;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fetching artifacts from peers (docs/p2p.md, "Artifacts"): the wire half only. The p2p layer checks the answers'
 * form (types, ids, sizes, the range asked for) and scores peers for that and for timeouts; whether the bytes are
 * right is for the caller to check against the manifest, who reports a peer that lied with {@link #reportInvalidData}.
 *
 * <p>Futures complete on network threads: callbacks must be quick. They fail with {@link Refused} when the peer
 * answers not found or denied, {@link java.util.concurrent.TimeoutException} after the request timeout (the peer was
 * penalised), {@link ProtocolViolation} for a malformed answer (the peer was penalised), or {@link Unavailable} when
 * the peer is not connected or has too many requests in flight.
 */
public interface ArtifactFetch {
    /** Most bytes one {@link #requestChunk} may ask for. */
    int MAX_PIECE_BYTES = Protocol.MAX_ARTIFACT_PIECE_BYTES;

    enum Status { FOUND, NOT_FOUND, DENIED }

    /** A peer's answer to a manifest request: the manifest encoding when {@code FOUND}, else empty. Untrusted. */
    record ManifestAnswer(Status status, byte[] manifest) {}

    /** Node keys of the authenticated peers connected now that speak the artifact frames (Hello feature "artifacts/1"). */
    List<PublicKey> connectedPeers();

    /** Asks a peer for its chunk manifest of the artifact {@code digest}. */
    CompletableFuture<ManifestAnswer> requestManifest(PublicKey peer, Hash digest);

    /**
     * Asks a peer for {@code length} (1 to {@link #MAX_PIECE_BYTES}) bytes at {@code offset} within chunk {@code index}
     * of its manifest. Completes with exactly that many bytes, as a read-only buffer.
     */
    CompletableFuture<ByteBuffer> requestChunk(PublicKey peer, Hash digest, int index, int offset, int length);

    /** Penalises a peer for artifact data that contradicts its own manifest, or a manifest proven false. */
    void reportInvalidData(PublicKey peer, String detail);

    /** The peer answered not found or denied. */
    final class Refused extends RuntimeException {
        private final Status status;

        public Refused(Status status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public Status status() {
            return status;
        }
    }

    /** The peer is not connected, or has too many requests in flight. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** The answer broke the protocol; the peer has been penalised. */
    final class ProtocolViolation extends RuntimeException {
        public ProtocolViolation(String message) {
            super(message, null, false, false);
        }
    }
}
