package io.maaschain.crypto;

import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import java.util.Arrays;

/**
 * An account address: the last 20 bytes of SHA-256 over the 32-byte Ed25519 public key.
 * Its text form is {@code mc} followed by 40 lower-case hex digits.
 */
public final class Address implements Comparable<Address> {
    public static final int LENGTH = 20;
    public static final String PREFIX = "mc";

    private final byte[] bytes;

    private Address(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Address of(PublicKey key) {
        byte[] h = Sha256.hash(key.bytesUnsafe()).toBytes();
        return new Address(Arrays.copyOfRange(h, Hash.LENGTH - LENGTH, Hash.LENGTH));
    }

    public static Address wrap(byte[] bytes) {
        if (bytes.length != LENGTH) throw new CodecException("an address is 20 bytes, got " + bytes.length);
        return new Address(bytes.clone());
    }

    public static Address parse(String text) {
        if (!text.startsWith(PREFIX) || text.length() != PREFIX.length() + 2 * LENGTH || !text.equals(text.toLowerCase(java.util.Locale.ROOT))) {
            throw new CodecException("an address is 'mc' followed by 40 lower-case hex digits: " + text);
        }
        return wrap(Hex.decode(text.substring(PREFIX.length())));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    @Override
    public int compareTo(Address o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address a && Arrays.equals(bytes, a.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return PREFIX + Hex.encode(bytes);
    }
}
