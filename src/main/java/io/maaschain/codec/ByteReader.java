package io.maaschain.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the canonical encoding strictly: every read is bounds-checked, lengths are capped by the caller,
 * strings must be valid UTF-8, and {@link #expectEnd()} rejects trailing bytes. One value has one encoding.
 */
public final class ByteReader {
    private final byte[] buf;
    private int pos;

    public ByteReader(byte[] buf) {
        this.buf = buf;
    }

    private void need(int n, String what) {
        if (n < 0 || buf.length - pos < n) {
            throw new CodecException("truncated input: " + what + " needs " + n + " bytes at offset " + pos
                    + ", " + (buf.length - pos) + " left");
        }
    }

    public int u8(String what) {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    public int u16(String what) {
        need(2, what);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    public long u32(String what) {
        need(4, what);
        long v = 0;
        for (int i = 0; i < 4; i++) v = (v << 8) | (buf[pos++] & 0xFF);
        return v;
    }

    public long u64(String what) {
        need(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (buf[pos++] & 0xFF);
        return v;
    }

    /** A u64 that must fit in a non-negative Java long (amounts, heights, nonces). */
    public long u63(String what) {
        long v = u64(what);
        if (v < 0) throw new CodecException(what + " exceeds 2^63-1");
        return v;
    }

    public byte[] raw(int n, String what) {
        need(n, what);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public byte[] bytes(int maxLength, String what) {
        long n = u32(what + " length");
        if (n > maxLength) throw new CodecException(what + " is " + n + " bytes, limit " + maxLength);
        return raw((int) n, what);
    }

    public String string(int maxBytes, String what) {
        byte[] b = bytes(maxBytes, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new CodecException(what + " is not valid UTF-8");
        }
    }

    public boolean bool(String what) {
        int b = u8(what);
        if (b > 1) throw new CodecException(what + " must be 0 or 1, got " + b);
        return b == 1;
    }

    public ByteReader skip(int n) {
        need(n, "skipped bytes");
        pos += n;
        return this;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return buf.length - pos;
    }

    public void expectEnd() {
        if (pos != buf.length) {
            throw new CodecException((buf.length - pos) + " trailing bytes after the value");
        }
    }
}
