package io.maaschain.ledger.block;

import io.maaschain.crypto.Hash;
import io.maaschain.ledger.tx.Transaction;
import java.util.List;
import java.util.Objects;

/** A header and the transactions its {@code txRoot} commits to. */
public record Block(Header header, List<Transaction> transactions) {
    public Block {
        Objects.requireNonNull(header, "header");
        transactions = List.copyOf(transactions);
    }

    public Hash hash() {
        return header.hash();
    }

    public long height() {
        return header.height();
    }
}
