package io.maaschain.crypto;

import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import java.util.Arrays;

/** A 64-byte Ed25519 signature (R || S, RFC 8032). */
public final class Signature {
    public static final int LENGTH = 64;

    private final byte[] bytes;

    private Signature(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Signature wrap(byte[] bytes) {
        if (bytes.length != LENGTH) throw new CodecException("an Ed25519 signature is 64 bytes, got " + bytes.length);
        return new Signature(bytes.clone());
    }

    static Signature adopt(byte[] bytes) {
        return new Signature(bytes);
    }

    public static Signature fromHex(String hex) {
        return wrap(Hex.decode(hex));
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
        return o instanceof Signature s && Arrays.equals(bytes, s.bytes);
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
