package io.maaschain.ledger.block;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import java.util.Objects;

/**
 * A block header. {@code seal} holds the consensus engine's fields (for proof of work: the compact target
 * and the nonce) and is the last field, so a miner can precompute the hash state of everything before it.
 */
public record Header(
        long height,
        Hash parentHash,
        long timestampMillis,
        Hash txRoot,
        Hash stateRoot,
        Address proposer,
        int txCount,
        Seal seal) {

    public Header {
        Objects.requireNonNull(parentHash, "parentHash");
        Objects.requireNonNull(txRoot, "txRoot");
        Objects.requireNonNull(stateRoot, "stateRoot");
        Objects.requireNonNull(proposer, "proposer");
        Objects.requireNonNull(seal, "seal");
        if (height < 0 || timestampMillis < 0 || txCount < 0) throw new IllegalArgumentException("negative header field");
    }

    public Header withSeal(Seal newSeal) {
        return new Header(height, parentHash, timestampMillis, txRoot, stateRoot, proposer, txCount, newSeal);
    }

    /** The block hash: SHA-256d over the canonical header encoding. */
    public Hash hash() {
        return HeaderCodec.hash(this);
    }
}
