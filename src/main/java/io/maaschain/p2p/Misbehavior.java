package io.maaschain.p2p;

/** What lowers a peer's score, and by how much. A score at or below {@link PeerScores#BAN_THRESHOLD} bans the peer. */
enum Misbehavior {
    /** A frame that does not parse, or carries no body. */
    MALFORMED_FRAME(100),
    /** A frame over the size limit. */
    OVERSIZED_FRAME(100),
    /** A well-formed frame that breaks the protocol: wrong time, wrong field sizes, over a count limit. */
    PROTOCOL_VIOLATION(50),
    /** A block whose proof of work (or other seal) does not hold. */
    INVALID_SEAL(100),
    /** A block that fails validation or execution, or that does not decode. */
    INVALID_BLOCK(50),
    /** Sync headers that do not link, or a block that is not the one asked for. */
    INVALID_SYNC_DATA(50),
    /**
     * A consensus message that does not decode or whose signature (vote, or the proposal's block seal) does not
     * verify: an honest peer checks both before it relays.
     */
    INVALID_CONSENSUS_MESSAGE(50),
    /**
     * A well-formed consensus message whose signer is in no validator set of this node's head: not relayed. Small, since a
     * peer whose head is ahead may relay a new validator's votes in good faith; a peer that keeps sending junk is banned.
     */
    CONSENSUS_MESSAGE_FROM_NON_VALIDATOR(5),
    /** A transaction that does not decode, or whose signature or chain id is wrong. */
    INVALID_TRANSACTION(20),
    /**
     * Artifact data that contradicts the peer's own word: a chunk that does not hash to the manifest the peer sent, a
     * manifest for another artifact, or a manifest proven false by the whole-file digest.
     */
    INVALID_ARTIFACT_DATA(50),
    /** A request left unanswered past the timeout. */
    TIMEOUT(10);

    final int penalty;

    Misbehavior(int penalty) {
        this.penalty = penalty;
    }
}
