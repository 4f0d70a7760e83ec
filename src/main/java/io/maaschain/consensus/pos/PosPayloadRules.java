package io.maaschain.consensus.pos;

import io.maaschain.consensus.EvidenceCheck;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Unstake;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.VoteCodec;
import io.maaschain.state.ConsensusRules;
import io.maaschain.state.WorldState;

/**
 * The proof-of-stake payloads. {@code Stake} bonds coins (already taken from the balance) and records the reveal
 * commitment; {@code Unstake} starts unbonding (see {@link PosParams#releaseHeight}); {@code Evidence} of a double
 * proposal, a double vote or a surround vote burns all the offender's bonded and unbonding stake and takes it out of the
 * validator sets at once. Bond changes reach the validator set at the next epoch snapshot.
 */
final class PosPayloadRules implements ConsensusRules {
    private final PosParams params;

    PosPayloadRules(PosParams params) {
        this.params = params;
    }

    /** Stake, Unstake and Evidence; RegisterProducer, VoteProducers and SetValidator can never apply here. */
    @Override
    public boolean accepts(Payload payload) {
        return payload instanceof Stake || payload instanceof Unstake || payload instanceof Evidence;
    }

    @Override
    public void applyPayload(WorldState state, Transaction tx, long height) throws Rejection {
        WorldState layer = state.child();
        switch (tx.payload()) {
            case Stake s -> Bonds.stake(layer, tx.senderKey(), s.amount(), s.revealCommitment(), params.minStake());
            case Unstake u -> Bonds.unstake(layer, tx.sender(), u.amount(), height, params.releaseHeight(height), params.minStake());
            case Evidence e -> slash(layer, e);
            default -> throw new Rejection(RejectCode.UNSUPPORTED_PAYLOAD, "proof of stake does not accept payload kind " + tx.payload().kind());
        }
        layer.mergeIntoParent();
    }

    private void slash(WorldState state, Evidence e) throws Rejection {
        PublicKey offender = EvidenceCheck.offender(e, params.chainId());
        if (VoteCodec.decode(e.first()) instanceof RoundVote) {
            throw new Rejection(RejectCode.INVALID_EVIDENCE, "round votes are not proof-of-stake statements");
        }
        Bonds.slash(state, offender.address());
        PosState.put(state, PosState.sets(state).without(offender.address()));
    }
}
