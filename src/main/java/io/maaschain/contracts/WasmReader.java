package io.maaschain.contracts;

/**
 * A cursor over WebAssembly binary bytes: single bytes and LEB128 integers as the binary format defines them.
 * Malformed or truncated input is a {@link ModuleRejectedException} ({@link ModuleRejection#MALFORMED}).
 */
final class WasmReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    WasmReader(byte[] buf, int from, int to) {
        this.buf = buf;
        this.pos = from;
        this.end = to;
    }

    WasmReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    int position() {
        return pos;
    }

    boolean atEnd() {
        return pos >= end;
    }

    int u8() {
        if (pos >= end) throw malformed("unexpected end of module");
        return buf[pos++] & 0xFF;
    }

    /** Unsigned LEB128, at most 5 bytes, value below 2^32 (returned as a non-negative long). */
    long u32() {
        long result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = u8();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (result > 0xFFFF_FFFFL) throw malformed("u32 out of range");
                return result;
            }
        }
        throw malformed("u32 LEB128 longer than 5 bytes");
    }

    /** A u32 that must also fit a Java int (counts and indices of a module within our limits). */
    int index() {
        long v = u32();
        if (v > Integer.MAX_VALUE) throw malformed("index " + v + " out of range");
        return (int) v;
    }

    /** Signed LEB128 of at most {@code bits} bits; only its length matters to callers that copy bytes. */
    long signed(int bits) {
        long result = 0;
        int shift = 0;
        int b;
        int maxBytes = (bits + 6) / 7;
        int n = 0;
        do {
            if (n++ >= maxBytes) throw malformed("signed LEB128 longer than " + maxBytes + " bytes");
            b = u8();
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
        return result;
    }

    void skip(int n) {
        if (n < 0 || end - pos < n) throw malformed("unexpected end of module");
        pos += n;
    }

    static ModuleRejectedException malformed(String why) {
        return new ModuleRejectedException(ModuleRejection.MALFORMED, why);
    }
}
