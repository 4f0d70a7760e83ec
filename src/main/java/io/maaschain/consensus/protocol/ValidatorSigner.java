package io.maaschain.consensus.protocol;

import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.vote.Vote;
import java.util.Optional;

/**
 * A validator's signing key behind slashing protection: before it signs, the signer durably records what it signs,
 * and it refuses anything that conflicts with what it signed before, also across restarts (a double vote, a surround
 * vote, a second proposal for the same height and slot).
 */
public interface ValidatorSigner {
    PublicKey key();

    /** The vote signed, or empty if signing it could be slashed given the signer's history. */
    Optional<Vote> signVote(Vote unsigned);

    /** The header with its validator seal signed, or empty if this signer already signed another header for that height and slot. */
    Optional<Header> signHeader(Header unsigned);

    /**
     * The highest round (or bft proposal slot) this signer signed anything in at {@code height}, as far as its history
     * knows, or -1: after a restart a protocol resumes past it, since it cannot sign anything new there.
     */
    int lastRoundSigned(long height);
}
