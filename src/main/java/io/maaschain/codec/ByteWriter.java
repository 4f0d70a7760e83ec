package io.maaschain.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the canonical encoding (docs/spec.md, "Primitive types"): big-endian fixed-width integers,
 * and byte strings prefixed by their length as a u32.
 */
public final class ByteWriter {
    private byte[] buf;
    private int len;

    public ByteWriter() {
        this(128);
    }

    public ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    public ByteWriter u8(int v) {
        if (v < 0 || v > 0xFF) throw new IllegalArgumentException("u8 out of range: " + v);
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public ByteWriter u16(int v) {
        if (v < 0 || v > 0xFFFF) throw new IllegalArgumentException("u16 out of range: " + v);
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public ByteWriter u32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) throw new IllegalArgumentException("u32 out of range: " + v);
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) buf[len++] = (byte) (v >>> shift);
        return this;
    }

    /** Unsigned 64-bit; Java longs are written as their two's complement bits, so callers keep values non-negative. */
    public ByteWriter u64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) buf[len++] = (byte) (v >>> shift);
        return this;
    }

    /** Raw bytes with no length prefix, for fixed-size fields (hashes, keys, signatures). */
    public ByteWriter raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        return this;
    }

    public ByteWriter bytes(byte[] bytes) {
        u32(bytes.length);
        return raw(bytes);
    }

    public ByteWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public ByteWriter bool(boolean b) {
        return u8(b ? 1 : 0);
    }

    public int size() {
        return len;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
