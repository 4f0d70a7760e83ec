package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;
import java.util.Objects;

/** Moves {@code amount} from the sender to {@code to}. */
public record Transfer(Address to, long amount) implements Payload {
    public static final int KIND = 1;

    public Transfer {
        Objects.requireNonNull(to, "to");
        if (amount <= 0) throw new IllegalArgumentException("transfer amount must be positive");
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
