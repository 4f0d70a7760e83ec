package io.maaschain.ledger.tx;

import io.maaschain.crypto.PublicKey;
import java.util.Objects;

/** BFT: an admin sets a validator's voting power; power 0 removes it. Takes effect from the next height. */
public record SetValidator(PublicKey validator, long power) implements Payload {
    public static final int KIND = 18;

    public SetValidator {
        Objects.requireNonNull(validator, "validator");
        if (power < 0) throw new IllegalArgumentException("power must not be negative");
    }

    @Override
    public int kind() {
        return KIND;
    }
}
