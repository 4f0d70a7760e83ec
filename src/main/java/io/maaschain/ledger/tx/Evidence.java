package io.maaschain.ledger.tx;

import java.util.Arrays;
import java.util.Objects;

/**
 * Proof that a validator equivocated: two conflicting statements it signed, each in the canonical vote encoding
 * (two votes, or two proposal signatures for a double proposal; docs/consensus.md, "Evidence"). Anyone may send it;
 * the engine checks both signatures and the conflict, then slashes the offender.
 */
public record Evidence(byte[] first, byte[] second) implements Payload {
    public static final int KIND = 15;
    public static final int MAX_ITEM_BYTES = 256;

    public Evidence {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (first.length > MAX_ITEM_BYTES || second.length > MAX_ITEM_BYTES) throw new IllegalArgumentException("evidence item too large");
        first = first.clone();
        second = second.clone();
    }

    @Override
    public byte[] first() {
        return first.clone();
    }

    @Override
    public byte[] second() {
        return second.clone();
    }

    @Override
    public int kind() {
        return KIND;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Evidence e && Arrays.equals(first, e.first) && Arrays.equals(second, e.second);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(first) + Arrays.hashCode(second);
    }

    @Override
    public String toString() {
        return "Evidence[" + first.length + " + " + second.length + " bytes]";
    }
}
