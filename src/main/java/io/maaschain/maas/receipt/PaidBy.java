package io.maaschain.maas.receipt;

import io.maaschain.crypto.Hash;
import io.maaschain.ledger.tx.PaymentAuthorisation;
import java.util.Objects;

/** What a charged call was paid by, as its receipt records it (docs/receipts.md, "Encoding", format 2). */
public sealed interface PaidBy {
    /** The caller's signed request carried this cumulative authorisation on its channel with the node. */
    record Channel(PaymentAuthorisation authorisation) implements PaidBy {
        public Channel {
            Objects.requireNonNull(authorisation, "authorisation");
        }
    }

    /** The call came with the API key whose SHA-256 is {@code keyHash}, spending the allowance its account gave it. */
    record SpendingKey(Hash keyHash) implements PaidBy {
        public SpendingKey {
            Objects.requireNonNull(keyHash, "keyHash");
        }
    }
}
