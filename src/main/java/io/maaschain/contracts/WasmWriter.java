package io.maaschain.contracts;

import java.io.ByteArrayOutputStream;

/** Appends WebAssembly binary encodings: bytes, LEB128 integers, length-prefixed sections. */
final class WasmWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    WasmWriter u8(int b) {
        out.write(b);
        return this;
    }

    WasmWriter u32(long v) {
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            if (v != 0) b |= 0x80;
            out.write(b);
        } while (v != 0);
        return this;
    }

    WasmWriter s64(long v) {
        boolean more = true;
        while (more) {
            int b = (int) (v & 0x7F);
            v >>= 7;
            if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) more = false;
            else b |= 0x80;
            out.write(b);
        }
        return this;
    }

    WasmWriter raw(byte[] b, int from, int to) {
        out.write(b, from, to - from);
        return this;
    }

    WasmWriter raw(byte[] b) {
        return raw(b, 0, b.length);
    }

    /** A section: its id, the u32 length of its payload, the payload. */
    WasmWriter section(int id, byte[] payload) {
        return u8(id).u32(payload.length).raw(payload);
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
