package io.maaschain.ledger.vote;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
import java.util.Objects;

/** A Tendermint prevote or precommit for {@code blockHash} (all zero, {@link #NIL}, for nil) at a height and round. */
public record RoundVote(Step step, long height, int round, Hash blockHash, PublicKey validator, Signature signature) implements Vote {
    public static final int PREVOTE_TYPE = 2;
    public static final int PRECOMMIT_TYPE = 3;
    public static final Hash NIL = Hash.ZERO;

    public enum Step {
        PREVOTE(PREVOTE_TYPE),
        PRECOMMIT(PRECOMMIT_TYPE);

        public final int type;

        Step(int type) {
            this.type = type;
        }
    }

    public RoundVote {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(blockHash, "blockHash");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(signature, "signature");
        if (height < 1 || round < 0) throw new IllegalArgumentException("round vote for height " + height + ", round " + round);
    }

    public boolean isNil() {
        return blockHash.equals(NIL);
    }

    @Override
    public RoundVote withSignature(Signature s) {
        return new RoundVote(step, height, round, blockHash, validator, s);
    }

    /** Duplicate vote: the same validator, step, height and round, for two different values. */
    @Override
    public boolean conflictsWith(Vote other) {
        return other instanceof RoundVote o && validator.equals(o.validator) && step == o.step && height == o.height
                && round == o.round && !blockHash.equals(o.blockHash);
    }
}
