package io.maaschain.ledger.tx;

import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.PublicKey;
import java.util.Objects;

/** The signed part of a transaction. The chain id and the nonce together make a signature unreplayable. */
public record UnsignedTransaction(long chainId, PublicKey sender, long nonce, long fee, Payload payload) {
    public UnsignedTransaction {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(payload, "payload");
        if (chainId < 0 || nonce < 0 || fee < 0) throw new IllegalArgumentException("chain id, nonce and fee are unsigned");
    }

    /** The exact bytes that Ed25519 signs: the domain tag followed by the body encoding. */
    public byte[] signingMessage() {
        return TransactionCodec.signingMessage(TransactionCodec.encodeBody(this));
    }

    public Transaction sign(KeyPair key) {
        if (!key.publicKey().equals(sender)) throw new IllegalArgumentException("key does not match the sender");
        byte[] body = TransactionCodec.encodeBody(this);
        return Transaction.assemble(this, body, key.sign(TransactionCodec.signingMessage(body)));
    }
}
