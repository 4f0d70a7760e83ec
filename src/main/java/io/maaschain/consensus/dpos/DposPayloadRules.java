package io.maaschain.consensus.dpos;

import io.maaschain.consensus.EvidenceCheck;
import io.maaschain.consensus.dpos.DposState.Candidate;
import io.maaschain.consensus.staking.Bond;
import io.maaschain.consensus.staking.Bonds;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.tx.RegisterProducer;
import io.maaschain.ledger.tx.Stake;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.SetValidator;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Unstake;
import io.maaschain.ledger.tx.VoteProducers;
import io.maaschain.state.ConsensusRules;
import io.maaschain.state.WorldState;
import java.util.Optional;

/**
 * The dpos transaction payloads: stake and unstake (voting weight), producer registration, approval votes and
 * evidence of equivocation. Each rule checks everything before it writes; the state transition applies it on a layer
 * it drops on rejection, so a rejected transaction changes nothing.
 */
final class DposPayloadRules implements ConsensusRules {
    private final DposParams params;

    DposPayloadRules(DposParams params) {
        this.params = params;
    }

    /** Stake, Unstake, RegisterProducer, VoteProducers and Evidence; SetValidator can never apply here. */
    @Override
    public boolean accepts(Payload payload) {
        return !(payload instanceof SetValidator);
    }

    @Override
    public void applyPayload(WorldState state, Transaction tx, long height) throws Rejection {
        PublicKey senderKey = tx.senderKey();
        Address sender = tx.sender();
        switch (tx.payload()) {
            case Stake s -> {
                if (!s.revealCommitment().equals(Hash.ZERO)) {
                    throw new Rejection(RejectCode.MALFORMED, "dpos has no RANDAO: a stake's reveal commitment must be all zero");
                }
                Bonds.stake(state, senderKey, s.amount(), Hash.ZERO, params.minStake());
                Approval.reweigh(state, sender);
            }
            case Unstake u -> {
                long release;
                try {
                    release = Math.addExact(height, params.unbondingBlocks());
                } catch (ArithmeticException e) {
                    throw new Rejection(RejectCode.OVERFLOW, "release height overflows");
                }
                Bonds.unstake(state, sender, u.amount(), height, release, params.minStake());
                Approval.reweigh(state, sender);
            }
            case RegisterProducer r -> register(state, senderKey, r.url());
            case VoteProducers v -> vote(state, sender, v);
            case Evidence e -> slash(state, e);
            default -> throw new Rejection(RejectCode.UNSUPPORTED_PAYLOAD, "dpos does not accept payload kind " + tx.payload().kind());
        }
    }

    private void register(WorldState state, PublicKey key, String url) throws Rejection {
        Address a = key.address();
        Optional<Bond> bond = Bonds.get(state, a);
        if (bond.isPresent() && bond.get().slashed()) throw new Rejection(RejectCode.NOT_VALIDATOR, "account " + a + " was slashed and may not produce");
        if (bond.isEmpty() || bond.get().bonded() == 0) {
            // A producer must have something to lose: its bond is what evidence of equivocation burns.
            throw new Rejection(RejectCode.INSUFFICIENT_STAKE, "a producer candidate must have bonded stake; stake first");
        }
        Optional<Candidate> known = DposState.candidate(state, a);
        if (known.isEmpty() && DposState.candidateCount(state) >= params.maxCandidates()) {
            // Every block elects from all candidates: the cap bounds that work, so it is enforced here, never on read.
            throw new Rejection(RejectCode.LIST_FULL, params.maxCandidates() + " producer candidates are registered, the genesis maxCandidates; "
                    + "register when one is slashed");
        }
        DposState.putCandidate(state, new Candidate(key, url, known.map(Candidate::approval).orElse(0L)));
    }

    private void vote(WorldState state, Address voter, VoteProducers v) throws Rejection {
        for (Address p : v.producers()) {
            if (DposState.candidate(state, p).isEmpty()) throw new Rejection(RejectCode.NOT_VALIDATOR, p + " is not a registered producer candidate");
        }
        long weight = Approval.bondedStake(state, voter);
        if (!v.producers().isEmpty() && weight < params.minVote()) {
            throw new Rejection(RejectCode.INSUFFICIENT_STAKE, "voting weight is bonded stake: a vote needs at least " + params.minVote()
                    + " bonded, and " + voter + " has " + weight);
        }
        Approval.vote(state, voter, v.producers());
    }

    /** Burns the offender's stake, withdraws the weight of its votes and unregisters it as a producer. */
    private void slash(WorldState state, Evidence e) throws Rejection {
        PublicKey offender = EvidenceCheck.offender(e, params.chainId());
        Address a = offender.address();
        Bonds.slash(state, a);
        Approval.reweigh(state, a);
        DposState.removeCandidate(state, a);
    }
}
