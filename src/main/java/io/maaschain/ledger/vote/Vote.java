package io.maaschain.ledger.vote;

import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;

/**
 * A signed consensus statement of one validator: a Casper-FFG checkpoint vote (pos, dpos), a Tendermint round vote
 * (bft) or a block proposal. Two conflicting statements by one validator are evidence for slashing. The signature
 * covers {@link VoteCodec#signingMessage}, which binds the chain id.
 */
public sealed interface Vote permits CheckpointVote, RoundVote, ProposalSignature {
    PublicKey validator();

    Signature signature();

    /** The vote with another signature (a signer fills in the signature of an unsigned vote). */
    Vote withSignature(Signature signature);

    /** True if {@code other}, by the same validator, conflicts with this vote so that signing both is slashable. */
    boolean conflictsWith(Vote other);

    default boolean verify(long chainId) {
        return validator().verify(VoteCodec.signingMessage(this, chainId), signature());
    }
}
