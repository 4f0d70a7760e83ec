package io.maaschain.crypto;

import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import java.util.Arrays;

/** A 32-byte SHA-256 value. Immutable; compares as an unsigned big-endian number. */
public final class Hash implements Comparable<Hash> {
    public static final int LENGTH = 32;
    public static final Hash ZERO = new Hash(new byte[LENGTH]);

    private final byte[] bytes;
    private final int hashCode;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
        this.hashCode = Arrays.hashCode(bytes);
    }

    public static Hash wrap(byte[] bytes) {
        if (bytes.length != LENGTH) throw new CodecException("a hash is 32 bytes, got " + bytes.length);
        return new Hash(bytes.clone());
    }

    /** Takes ownership of a fresh array without copying; only for arrays nobody else holds. */
    static Hash adopt(byte[] bytes) {
        return new Hash(bytes);
    }

    public static Hash fromHex(String hex) {
        return wrap(Hex.decode(hex));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Bit {@code i} counted from the most significant bit of byte 0; used to walk Merkle paths. */
    public int bit(int i) {
        return (bytes[i >>> 3] >>> (7 - (i & 7))) & 1;
    }

    public byte byteAt(int i) {
        return bytes[i];
    }

    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    public String toHex() {
        return Hex.encode(bytes);
    }

    @Override
    public int compareTo(Hash o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
