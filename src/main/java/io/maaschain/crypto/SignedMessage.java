package io.maaschain.crypto;

/** A message with its Ed25519 signature and the key that should have made it: one item of a {@link SignatureBatch}. */
public record SignedMessage(PublicKey key, byte[] message, Signature signature) {
    /** The single verification, {@link PublicKey#verify}. */
    public boolean verify() {
        return key.verify(message, signature);
    }
}
