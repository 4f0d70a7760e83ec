package io.maaschain.consensus.bft;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.vote.RoundVote;
import io.maaschain.ledger.vote.Vote;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The proof that a block was committed: precommits for it, all in one round, by more than 2/3 of the power. */
public final class CommitCheck {
    private CommitCheck() {}

    /** Checks that {@code votes} commit block {@code hash} at {@code height} under {@code set}; throws INVALID_SEAL otherwise. */
    public static void verify(List<Vote> votes, ValidatorSet set, long height, Hash hash, long chainId) throws Rejection {
        if (votes.isEmpty()) throw new Rejection(RejectCode.INVALID_SEAL, "the seal carries no commit for block " + hash + " at height " + height);
        Set<PublicKey> seen = new HashSet<>();
        long power = 0;
        int round = -1;
        for (Vote v : votes) {
            if (!(v instanceof RoundVote p) || p.step() != RoundVote.Step.PRECOMMIT) {
                throw new Rejection(RejectCode.INVALID_SEAL, "a bft seal carries only precommits, found " + v.getClass().getSimpleName());
            }
            if (p.height() != height || !p.blockHash().equals(hash)) {
                throw new Rejection(RejectCode.INVALID_SEAL, "precommit by " + p.validator() + " is for height " + p.height() + " block "
                        + p.blockHash() + ", not the parent " + hash + " at height " + height);
            }
            if (round == -1) round = p.round();
            if (p.round() != round) throw new Rejection(RejectCode.INVALID_SEAL, "the commit mixes precommits of rounds " + round + " and " + p.round());
            long w = set.power(p.validator());
            if (w == 0) throw new Rejection(RejectCode.INVALID_SEAL, "precommit by " + p.validator() + ", who was not a validator at height " + height);
            if (!seen.add(p.validator())) throw new Rejection(RejectCode.INVALID_SEAL, "two precommits by " + p.validator());
            if (!p.verify(chainId)) throw new Rejection(RejectCode.INVALID_SEAL, "precommit by " + p.validator() + " has an invalid signature");
            power += w;
        }
        if (!set.isQuorum(power)) {
            throw new Rejection(RejectCode.INVALID_SEAL, "the commit for height " + height + " has power " + power + " of "
                    + set.totalPower() + "; it needs more than two thirds");
        }
    }
}
