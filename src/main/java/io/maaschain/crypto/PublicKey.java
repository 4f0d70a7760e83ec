package io.maaschain.crypto;

import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 public key: the 32-byte RFC 8032 encoding of point A. */
public final class PublicKey {
    public static final int LENGTH = Ed25519.PUBLIC_KEY_SIZE;

    private final byte[] bytes;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps 32 bytes. The point itself is checked when a signature is verified. */
    public static PublicKey wrap(byte[] bytes) {
        if (bytes.length != LENGTH) throw new CodecException("an Ed25519 public key is 32 bytes, got " + bytes.length);
        return new PublicKey(bytes.clone());
    }

    public static PublicKey fromHex(String hex) {
        return wrap(Hex.decode(hex));
    }

    /**
     * Strict RFC 8032 Ed25519 verification, exactly as BouncyCastle's {@code Ed25519.verify} with the key bytes.
     * The decoded key point comes from a bounded shared cache ({@link DecodedPublicKeys}), which skips the point
     * decompression for keys seen recently and accepts and rejects exactly the same signatures.
     */
    public boolean verify(byte[] message, Signature signature) {
        Ed25519.PublicPoint point = DecodedPublicKeys.SHARED.decode(bytes);
        return point != null && Ed25519.verify(signature.bytesUnsafe(), 0, point, message, 0, message.length);
    }

    public Address address() {
        return Address.of(this);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    byte[] bytesUnsafe() {
        return bytes;
    }

    public String toHex() {
        return Hex.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
