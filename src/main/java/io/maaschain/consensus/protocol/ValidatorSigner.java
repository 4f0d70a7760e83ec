package io.maaschain.consensus.protocol;

import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import java.util.List;
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
     * The prevote and precommit this signer signed in the last round it voted in, if that was at {@code height}, signed
     * again (the very same votes: Ed25519 is deterministic), in signing order. After a restart a protocol takes them
     * back: it resumes in that round, after the last step, and can re-send them to peers that missed them.
     */
    List<RoundVote> lastRoundVotes(long height);

    /** The slot (bft: round) of the last proposal this signer signed at {@code height}, or -1. */
    long lastProposalSlot(long height);
}
