package io.maaschain.ledger.tx;

/**
 * Takes coins out of escrow in two steps, so hosting nodes can settle calls already served: the first Withdraw
 * announces the amount, and a Withdraw sent once the escrow timeout has passed pays it out. Nothing can keep an
 * escrow locked beyond that timeout.
 */
public record Withdraw(long amount) implements Payload {
    public static final int KIND = 11;

    public Withdraw {
        if (amount <= 0) throw new IllegalArgumentException("withdrawal amount must be positive");
    }

    @Override
    public int kind() {
        return KIND;
    }
}
