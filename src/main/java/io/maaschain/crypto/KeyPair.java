package io.maaschain.crypto;

import io.maaschain.codec.CodecException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair held as its 32-byte RFC 8032 seed. Generating one takes the entropy as an argument,
 * so the deterministic core never draws randomness itself.
 */
public final class KeyPair {
    public static final int SEED_LENGTH = Ed25519.SECRET_KEY_SIZE;

    private final byte[] seed;
    private final PublicKey publicKey;

    private KeyPair(byte[] seed) {
        this.seed = seed;
        byte[] pk = new byte[PublicKey.LENGTH];
        Ed25519.generatePublicKey(seed, 0, pk, 0);
        this.publicKey = PublicKey.wrap(pk);
    }

    public static KeyPair fromSeed(byte[] seed) {
        if (seed.length != SEED_LENGTH) throw new CodecException("an Ed25519 seed is 32 bytes, got " + seed.length);
        return new KeyPair(seed.clone());
    }

    /** A fresh key pair whose seed is drawn from {@code random}; the caller owns the entropy source. */
    public static KeyPair generate(SecureRandom random) {
        byte[] seed = new byte[SEED_LENGTH];
        random.nextBytes(seed);
        return new KeyPair(seed);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public Address address() {
        return publicKey.address();
    }

    public Signature sign(byte[] message) {
        byte[] sig = new byte[Signature.LENGTH];
        Ed25519.sign(seed, 0, publicKey.bytesUnsafe(), 0, message, 0, message.length, sig, 0);
        return Signature.adopt(sig);
    }

    /** The secret seed; callers that export it are responsible for protecting it. */
    public byte[] seed() {
        return seed.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPair k && Arrays.equals(seed, k.seed);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    @Override
    public String toString() {
        return "KeyPair[" + publicKey + "]";
    }
}
