package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;

/**
 * Moves coins from the sender's balance into an escrow earmarked for one hosting node: only that host can settle
 * calls against it, so a caller trusts each host with no more than it deposited for it (a payment channel).
 */
public record Deposit(Address host, long amount) implements Payload {
    public static final int KIND = 10;

    public Deposit {
        java.util.Objects.requireNonNull(host, "host");
        if (amount <= 0) throw new IllegalArgumentException("deposit amount must be positive");
    }

    @Override
    public int kind() {
        return KIND;
    }

    @Override
    public long amountSent() {
        return amount;
    }
}
