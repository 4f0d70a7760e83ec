package io.maaschain.crypto;

/**
 * scrypt cost parameters (RFC 7914). The limits are there because a keystore file is untrusted input: without
 * them a crafted {@code n} or {@code r} would make whoever opens the file allocate gigabytes or spin for minutes.
 *
 * @param n CPU/memory cost, a power of two
 * @param r block size
 * @param p parallelisation; BouncyCastle runs the lanes one after another, so it multiplies time, not memory
 */
public record ScryptParams(int n, int r, int p) {
    /** 128 MiB and roughly half a second per derivation on a current core; used for every new keystore. */
    public static final ScryptParams DEFAULT = new ScryptParams(1 << 17, 8, 1);

    /** Twice the default's memory: room for files written with stronger settings, still fits a 1 GiB heap. */
    public static final long MAX_MEMORY_BYTES = 256L << 20;

    /** Memory times lanes, a proxy for time: eight default derivations' worth. */
    public static final long MAX_WORK_BYTES = 1L << 30;

    public ScryptParams {
        if (n < 2 || (n & (n - 1)) != 0) {
            throw new IllegalArgumentException("scrypt n must be a power of two of at least 2, got " + n);
        }
        if (r < 1) throw new IllegalArgumentException("scrypt r must be at least 1, got " + r);
        if (p < 1) throw new IllegalArgumentException("scrypt p must be at least 1, got " + p);
        // RFC 7914 section 2: n < 2^(128 * r / 8), which only binds for r = 1.
        if (r == 1 && n >= 1 << 16) {
            throw new IllegalArgumentException("scrypt n must be below 65536 when r is 1, got " + n);
        }
        if ((long) n * r > MAX_MEMORY_BYTES / 128) {
            throw new IllegalArgumentException("scrypt n=" + n + " r=" + r + " needs more than the "
                    + (MAX_MEMORY_BYTES >> 20) + " MiB limit");
        }
        if ((long) n * r * p > MAX_WORK_BYTES / 128) {
            throw new IllegalArgumentException("scrypt n=" + n + " r=" + r + " p=" + p
                    + " costs more than the limit of " + (MAX_WORK_BYTES >> 20) + " MiB times lanes");
        }
    }

    /** Memory one derivation needs: 128 * r * n bytes. */
    public long memoryBytes() {
        return 128L * n * r;
    }
}
