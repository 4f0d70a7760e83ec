package io.maaschain.consensus.pos;

import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.vote.CheckpointVote;
import io.maaschain.ledger.vote.Vote;
import io.maaschain.state.WorldState;

/**
 * Counts the Casper FFG votes a block carries. A vote counts if its target is this branch's checkpoint of the block's
 * epoch or one of the {@link #INCLUSION_EPOCHS} before, its source is the branch's justified checkpoint (as of the block's parent), its validator is in the target epoch's set
 * and was not counted for that target epoch yet, and its signature is valid on this chain. A link backed by 2/3 of the
 * target epoch's stake justifies the target; if the target is the epoch right after the source, the source is final.
 */
final class CasperFfg {
    /**
     * A block of epoch E carries votes for targets E-2..E. Two epochs, not one: after a partition the winning branch
     * must be able to count the votes that justified a checkpoint on the losing branch (when both share it), or the
     * validators that used it as a source could never vote on the winner (any lower source would surround their vote).
     */
    static final int INCLUSION_EPOCHS = 2;

    private final long chainId;

    CasperFfg(long chainId) {
        this.chainId = chainId;
    }

    /**
     * Counts {@code vote} carried by a block of {@code blockEpoch} whose parent state's justified checkpoint is
     * {@code source} (fixed for the whole block, so the order of a block's votes does not matter); returns the finality
     * record after it.
     */
    FinalityRecord count(WorldState state, EpochSets sets, FinalityRecord fin, Checkpoint source, Vote vote, long blockEpoch) throws Rejection {
        if (!(vote instanceof CheckpointVote v)) throw new Rejection(RejectCode.INVALID_SEAL, "a proof-of-stake block carries only checkpoint votes");
        long t = v.targetEpoch();
        if (t > blockEpoch || t < blockEpoch - INCLUSION_EPOCHS) {
            throw new Rejection(RejectCode.INVALID_SEAL, "vote for target epoch " + t + " in a block of epoch " + blockEpoch
                    + " (votes are included in their target epoch or the " + INCLUSION_EPOCHS + " after it)");
        }
        Checkpoint target = fin.checkpoint(t).filter(c -> c.hash().equals(v.targetHash())).orElseThrow(() -> new Rejection(
                RejectCode.INVALID_SEAL, "vote target " + v.targetHash() + " is not this branch's checkpoint of epoch " + t));
        if (!source.is(v.sourceEpoch(), v.sourceHash())) {
            throw new Rejection(RejectCode.INVALID_SEAL, "vote source (" + v.sourceEpoch() + ", " + v.sourceHash()
                    + ") is not this branch's justified checkpoint (" + source.epoch() + ", " + source.hash() + ")");
        }
        ValidatorSet set = sets.forEpoch(t).orElseThrow(() -> new Rejection(RejectCode.INVALID_SEAL, "no validator set for epoch " + t));
        ValidatorSet.Member member = set.member(v.validator().address()).filter(m -> m.key().equals(v.validator()))
                .orElseThrow(() -> new Rejection(RejectCode.NOT_VALIDATOR, v.validator() + " is not a validator of epoch " + t));
        VoteTally tally = PosState.tally(state, t);
        if (tally.hasVoted(member.address())) {
            throw new Rejection(RejectCode.DUPLICATE, "a vote of " + v.validator() + " for epoch " + t + " was already counted on this branch");
        }
        if (!v.verify(chainId)) throw new Rejection(RejectCode.BAD_SIGNATURE, "vote of " + v.validator() + " has an invalid signature");
        VoteTally.Counted counted = tally.count(v, member.stake());
        state.put(PosState.tallyKey(t), counted.tally().encode());
        if (!set.isSupermajority(counted.linkStake())) return fin;
        FinalityRecord next = t > fin.justified().epoch() ? fin.withJustified(target) : fin;
        if (t == source.epoch() + 1 && source.epoch() > next.finalized().epoch()) next = next.withFinalized(source);
        return next;
    }
}
