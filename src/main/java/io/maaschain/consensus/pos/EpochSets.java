package io.maaschain.consensus.pos;

import io.maaschain.codec.ByteReader;
import io.maaschain.codec.ByteWriter;
import io.maaschain.crypto.Address;
import java.util.Objects;
import java.util.Optional;

/**
 * The validator sets a branch needs (state key 0x24): the previous epoch's (its votes may still be included), the
 * current epoch's, and the next epoch's, snapshotted at the current epoch's first block (one epoch of lookahead).
 */
public record EpochSets(ValidatorSet previous, ValidatorSet current, ValidatorSet next) {
    public EpochSets {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(next, "next");
    }

    /** The set of {@code epoch} if this branch still or already knows it. */
    public Optional<ValidatorSet> forEpoch(long epoch) {
        if (current.epoch() == epoch) return Optional.of(current);
        if (next.epoch() == epoch) return Optional.of(next);
        if (previous.epoch() == epoch) return Optional.of(previous);
        return Optional.empty();
    }

    /**
     * The sets once the branch enters {@code epoch} (later than the current one), with {@code snapshot} as the set
     * after it. Epochs without any block are skipped: they all used the set that was next, which carries forward.
     */
    public EpochSets enter(long epoch, ValidatorSet snapshot) {
        if (epoch <= current.epoch()) throw new IllegalArgumentException("epoch " + epoch + " is not after " + current.epoch());
        ValidatorSet prev = epoch == current.epoch() + 1 ? current : next.withEpoch(epoch - 1);
        return new EpochSets(prev, next.withEpoch(epoch), snapshot);
    }

    public EpochSets without(Address a) {
        return new EpochSets(previous.without(a), current.without(a), next.without(a));
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(256);
        previous.write(w);
        current.write(w);
        next.write(w);
        return w.toByteArray();
    }

    public static EpochSets decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        EpochSets s = new EpochSets(ValidatorSet.read(r), ValidatorSet.read(r), ValidatorSet.read(r));
        r.expectEnd();
        return s;
    }
}
