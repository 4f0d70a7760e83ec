package io.maaschain.codec;

import java.util.Arrays;

/** An immutable byte string with value equality, for use as a map key. */
public final class Bytes implements Comparable<Bytes> {
    private final byte[] value;
    private final int hashCode;

    private Bytes(byte[] value) {
        this.value = value;
        this.hashCode = Arrays.hashCode(value);
    }

    public static Bytes of(byte[] value) {
        return new Bytes(value.clone());
    }

    /** Wraps without copying; the caller promises never to modify the array again. */
    public static Bytes adopt(byte[] value) {
        return new Bytes(value);
    }

    public byte[] toArray() {
        return value.clone();
    }

    /** The backing array, for read-only use on hot paths. */
    public byte[] unsafeArray() {
        return value;
    }

    public int length() {
        return value.length;
    }

    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(value, o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    @Override
    public String toString() {
        return Hex.encode(value);
    }
}
