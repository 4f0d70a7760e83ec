package io.maaschain.ledger.tx;

/** Starts unbonding {@code amount} of the sender's stake; it returns to the balance after the unbonding period. */
public record Unstake(long amount) implements Payload {
    public static final int KIND = 14;

    public Unstake {
        if (amount <= 0) throw new IllegalArgumentException("unstake amount must be positive");
    }

    @Override
    public int kind() {
        return KIND;
    }
}
