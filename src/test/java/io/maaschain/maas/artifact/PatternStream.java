package io.maaschain.maas.artifact;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** A deterministic pseudo-random byte stream of a given length, generated on the fly: large test files without a byte[]. */
public class PatternStream extends InputStream {
    private final long size;
    private final long seed;
    private long pos;
    private final long failAt;

    public PatternStream(long size, long seed) {
        this(size, seed, 0, -1);
    }

    /** A stream over bytes {@code [from, size)} of the pattern that throws an IOException when it reaches {@code failAt} (if >= 0). */
    public PatternStream(long size, long seed, long from, long failAt) {
        this.size = size;
        this.seed = seed;
        this.pos = from;
        this.failAt = failAt;
    }

    public static byte byteAt(long seed, long i) {
        long x = (i >>> 3) * 0x9E3779B97F4A7C15L + seed;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 29;
        return (byte) (x >>> ((i & 7) * 8));
    }

    @Override
    public int read() throws IOException {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failAt >= 0 && pos >= failAt) throw new IOException("connection reset (simulated)");
        if (pos >= size) return -1;
        long end = Math.min(size, pos + len);
        if (failAt >= 0) end = Math.min(end, failAt);
        int n = (int) (end - pos);
        for (int i = 0; i < n; i++) b[off + i] = byteAt(seed, pos + i);
        pos = end;
        return n;
    }

    public static Hash digest(long size, long seed) throws IOException {
        MessageDigest md = Sha256.newDigest();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = new PatternStream(size, seed)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return Hash.wrap(md.digest());
    }

    public static Path writeFile(Path file, long size, long seed) throws IOException {
        try (InputStream in = new PatternStream(size, seed); OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
        return file;
    }
}
