package io.maaschain.maas.receipt;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.crypto.Signature;
import java.util.Arrays;
import java.util.Objects;

/**
 * A receipt with the exact bytes it was encoded to (or decoded from), its id {@code H(encoding)} and the node's
 * Ed25519 signature over {@code "maaschain/receipt/v1\0" || encoding}. Verifying never re-encodes.
 */
public final class SignedReceipt {
    private final Receipt receipt;
    private final byte[] encoding;
    private final Hash id;
    private final Signature signature;

    private SignedReceipt(Receipt receipt, byte[] encoding, Signature signature) {
        this.receipt = receipt;
        this.encoding = encoding;
        this.id = Sha256.hash(encoding);
        this.signature = Objects.requireNonNull(signature, "signature");
    }

    /** Encodes and signs; {@code key} must be the receipt's node key. */
    public static SignedReceipt sign(Receipt receipt, KeyPair key) {
        if (!key.publicKey().equals(receipt.nodeKey())) throw new IllegalArgumentException("the key is not the receipt's node key");
        byte[] encoding = ReceiptCodec.encode(receipt);
        return new SignedReceipt(receipt, encoding, key.sign(ReceiptCodec.signingMessage(encoding)));
    }

    /** Decodes {@code encoding} strictly and pairs it with {@code signature}; does not verify the signature. */
    public static SignedReceipt decode(byte[] encoding, Signature signature) {
        byte[] copy = encoding.clone();
        return new SignedReceipt(ReceiptCodec.decode(copy), copy, signature);
    }

    /** The node's signature verifies under the node key named inside the receipt. */
    public boolean hasValidSignature() {
        return receipt.nodeKey().verify(ReceiptCodec.signingMessage(encoding), signature);
    }

    public Receipt receipt() {
        return receipt;
    }

    /** The receipt id: SHA-256 of the encoding; also the leaf item of the batch's Merkle tree. */
    public Hash id() {
        return id;
    }

    public Signature signature() {
        return signature;
    }

    public byte[] encoding() {
        return encoding.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedReceipt s && Arrays.equals(encoding, s.encoding) && signature.equals(s.signature);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Receipt[" + id + " seq " + receipt.seq() + " of " + receipt.node() + "]";
    }
}
