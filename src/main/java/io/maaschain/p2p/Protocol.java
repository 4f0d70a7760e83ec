package io.maaschain.p2p;

import io.maaschain.ledger.ChainParams;

/** Protocol version and the per-message limits of docs/p2p.md. */
final class Protocol {
    static final int VERSION = 1;
    static final int NONCE_BYTES = 32;
    static final int MAX_CLIENT_CHARS = 64;
    static final int MAX_REASON_CHARS = 256;
    static final int MAX_TXS_PER_FRAME = 256;
    static final int MAX_LOCATOR_HASHES = 64;
    static final int MAX_HEADERS_PER_FRAME = 2000;
    static final int MAX_BLOCKS_PER_REQUEST = 128;
    static final int MAX_PEERS_PER_FRAME = 64;
    static final int MAX_TOTAL_WORK_BYTES = 64;
    /** Requests a connection may have waiting for answers at once. */
    static final int MAX_PENDING_REQUESTS = 16;
    /** Frames and bytes waiting to be written to one peer; gossip past this is dropped. */
    static final int MAX_SEND_QUEUE_FRAMES = 4096;
    static final long MAX_SEND_QUEUE_BYTES = 64L * 1024 * 1024;
    /** Dropped frames after which a peer that does not read is disconnected. */
    static final int MAX_DROPPED_FRAMES = 1024;
    static final int MIN_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** Largest piece of an artifact chunk one ArtifactChunk frame carries: well inside the smallest frame limit. */
    static final int MAX_ARTIFACT_PIECE_BYTES = 1 << 20;
    /** Largest manifest encoding an ArtifactManifest frame carries: the smallest frame limit less 64 KiB of framing. */
    static final int MAX_ARTIFACT_MANIFEST_BYTES = MIN_MESSAGE_BYTES - 64 * 1024;
    /** A manifest encoding is never shorter than its header. */
    static final int MIN_ARTIFACT_MANIFEST_BYTES = 53;
    static final String CLIENT = "maaschain/0.1.0";
    /** Hello feature: the node answers (and may send) the artifact frames. */
    static final String FEATURE_ARTIFACTS = "artifacts/1";
    static final int MAX_FEATURES = 16;
    static final int MAX_FEATURE_CHARS = 32;

    private Protocol() {}

    /** The frame size limit for a chain: room for its largest block plus framing, at least 4 MiB. */
    static int messageLimit(ChainParams params, int configured) {
        long needed = (long) params.maxBlockBytes() + 4L * params.maxBlockTransactions() + 64 * 1024;
        if (configured == 0) return (int) Math.min(Integer.MAX_VALUE - 1024, Math.max(MIN_MESSAGE_BYTES, needed));
        if (configured < needed) {
            throw new IllegalArgumentException("maxMessageBytes " + configured + " cannot carry this chain's largest block (" + needed + " bytes)");
        }
        return configured;
    }
}
