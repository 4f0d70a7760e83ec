package io.maaschain.consensus.pos;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Address;
import java.util.Objects;
import java.util.Optional;

/**
 * The validator sets a branch needs (state key 0x24): the two epochs' before the current one (their votes may still be
 * included, see {@link CasperFfg#INCLUSION_EPOCHS}), the current epoch's, and the next epoch's, snapshotted at the
 * current epoch's first block (one epoch of lookahead).
 */
public record EpochSets(ValidatorSet older, ValidatorSet previous, ValidatorSet current, ValidatorSet next) {
    public EpochSets {
        Objects.requireNonNull(older, "older");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(next, "next");
    }

    /** The set of {@code epoch} if this branch still or already knows it. */
    public Optional<ValidatorSet> forEpoch(long epoch) {
        if (current.epoch() == epoch) return Optional.of(current);
        if (next.epoch() == epoch) return Optional.of(next);
        if (previous.epoch() == epoch) return Optional.of(previous);
        if (older.epoch() == epoch) return Optional.of(older);
        return Optional.empty();
    }

    /**
     * The sets once the branch enters {@code epoch} (later than the current one), with {@code snapshot} as the set
     * after it. Epochs without any block are skipped: they all used the set that was next, which carries forward.
     */
    public EpochSets enter(long epoch, ValidatorSet snapshot) {
        if (epoch <= current.epoch()) throw new IllegalArgumentException("epoch " + epoch + " is not after " + current.epoch());
        return new EpochSets(before(epoch - 2), before(epoch - 1), next.withEpoch(epoch), snapshot);
    }

    /** The set of an epoch from the previous one on, before entering a later epoch (skipped epochs used the next set). */
    private ValidatorSet before(long epoch) {
        if (epoch < current.epoch()) return previous;
        return epoch == current.epoch() ? current : next.withEpoch(epoch);
    }

    public EpochSets without(Address a) {
        return new EpochSets(older.without(a), previous.without(a), current.without(a), next.without(a));
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(256);
        older.write(w);
        previous.write(w);
        current.write(w);
        next.write(w);
        return w.toByteArray();
    }

    public static EpochSets decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        EpochSets s = new EpochSets(ValidatorSet.read(r), ValidatorSet.read(r), ValidatorSet.read(r), ValidatorSet.read(r));
        r.expectEnd();
        return s;
    }
}
