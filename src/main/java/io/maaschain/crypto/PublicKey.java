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

    public boolean verify(byte[] message, Signature signature) {
        return Ed25519.verify(signature.bytesUnsafe(), 0, bytes, 0, message, 0, message.length);
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
