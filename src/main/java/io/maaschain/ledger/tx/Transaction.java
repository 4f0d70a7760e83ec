package io.maaschain.ledger.tx;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.PublicKey;
import io.maaschain.crypto.Sha256;
import io.maaschain.crypto.Signature;
import io.maaschain.crypto.SignedMessage;

/**
 * A signed transaction. It keeps the exact bytes it was decoded from (or encoded to): its hash is
 * SHA-256 over those bytes, and they are never re-encoded to verify.
 */
public final class Transaction {
    private final UnsignedTransaction body;
    private final Signature signature;
    private final byte[] encoded;
    private final int bodyLength;
    private final Hash hash;
    private final Address senderAddress;

    private Transaction(UnsignedTransaction body, Signature signature, byte[] encoded, int bodyLength) {
        this.body = body;
        this.signature = signature;
        this.encoded = encoded;
        this.bodyLength = bodyLength;
        this.hash = Sha256.hash(encoded);
        this.senderAddress = body.sender().address();
    }

    static Transaction assemble(UnsignedTransaction body, byte[] bodyBytes, Signature signature) {
        byte[] encoded = new byte[bodyBytes.length + Signature.LENGTH];
        System.arraycopy(bodyBytes, 0, encoded, 0, bodyBytes.length);
        System.arraycopy(signature.toBytes(), 0, encoded, bodyBytes.length, Signature.LENGTH);
        return new Transaction(body, signature, encoded, bodyBytes.length);
    }

    static Transaction decoded(UnsignedTransaction body, Signature signature, byte[] encoded, int bodyLength) {
        return new Transaction(body, signature, encoded, bodyLength);
    }

    /** Checks the Ed25519 signature over the domain tag and the body bytes as received. */
    public boolean hasValidSignature() {
        return signedMessage().verify();
    }

    /** What the signature covers (the domain tag and the body bytes as received), with the key and the signature. */
    public SignedMessage signedMessage() {
        return new SignedMessage(body.sender(), TransactionCodec.signingMessage(encoded, bodyLength), signature);
    }

    public UnsignedTransaction body() {
        return body;
    }

    public long chainId() {
        return body.chainId();
    }

    public PublicKey senderKey() {
        return body.sender();
    }

    public Address sender() {
        return senderAddress;
    }

    public long nonce() {
        return body.nonce();
    }

    public long fee() {
        return body.fee();
    }

    public Payload payload() {
        return body.payload();
    }

    public Signature signature() {
        return signature;
    }

    public Hash hash() {
        return hash;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    public int size() {
        return encoded.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transaction t && hash.equals(t.hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "Transaction[" + hash + " from " + senderAddress + " nonce " + nonce() + "]";
    }
}
