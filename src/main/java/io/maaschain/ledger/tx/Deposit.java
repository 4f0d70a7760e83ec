package io.maaschain.ledger.tx;

/** Moves coins from the sender's balance into its escrow, from which inference calls are paid. */
public record Deposit(long amount) implements Payload {
    public static final int KIND = 10;

    public Deposit {
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
