package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;

/**
 * Takes coins out of the escrow held for {@code host} in two steps, so the host can settle calls already served:
 * the first Withdraw announces the amount, and a Withdraw of the same amount sent once the escrow timeout has passed
 * pays it out. Nothing can keep an escrow locked beyond that timeout.
 */
public record Withdraw(Address host, long amount) implements Payload {
    public static final int KIND = 11;

    public Withdraw {
        java.util.Objects.requireNonNull(host, "host");
        if (amount <= 0) throw new IllegalArgumentException("withdrawal amount must be positive");
    }

    @Override
    public int kind() {
        return KIND;
    }
}
