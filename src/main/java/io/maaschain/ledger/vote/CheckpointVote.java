package io.maaschain.ledger.vote;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Signature;
import java.util.Objects;

/**
 * A Casper FFG vote: a link from the justified checkpoint {@code (sourceEpoch, sourceHash)} to the checkpoint
 * {@code (targetEpoch, targetHash)}. A checkpoint is identified by its epoch and the hash of its boundary block.
 */
public record CheckpointVote(long sourceEpoch, Hash sourceHash, long targetEpoch, Hash targetHash, PublicKey validator, Signature signature)
        implements Vote {
    public static final int TYPE = 1;

    public CheckpointVote {
        Objects.requireNonNull(sourceHash, "sourceHash");
        Objects.requireNonNull(targetHash, "targetHash");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(signature, "signature");
        if (sourceEpoch < 0 || targetEpoch <= sourceEpoch) throw new IllegalArgumentException("a checkpoint vote's target must follow its source");
    }

    @Override
    public CheckpointVote withSignature(Signature s) {
        return new CheckpointVote(sourceEpoch, sourceHash, targetEpoch, targetHash, validator, s);
    }

    /** The two FFG slashing conditions: a double vote (two targets in one epoch) and a surround vote. */
    @Override
    public boolean conflictsWith(Vote other) {
        if (!(other instanceof CheckpointVote o) || !validator.equals(o.validator) || sameLink(o)) return false;
        if (targetEpoch == o.targetEpoch) return true;
        return surrounds(this, o) || surrounds(o, this);
    }

    private boolean sameLink(CheckpointVote o) {
        return sourceEpoch == o.sourceEpoch && sourceHash.equals(o.sourceHash) && targetEpoch == o.targetEpoch && targetHash.equals(o.targetHash);
    }

    private static boolean surrounds(CheckpointVote outer, CheckpointVote inner) {
        return outer.sourceEpoch < inner.sourceEpoch && inner.targetEpoch < outer.targetEpoch;
    }
}
