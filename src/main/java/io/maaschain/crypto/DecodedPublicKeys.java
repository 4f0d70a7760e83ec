package io.maaschain.crypto;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A bounded cache of decoded Ed25519 public keys, so that a sender's key point is decompressed once and not
 * in every verification (a decompression is a field exponentiation, about a tenth of a verification).
 *
 * <p>It never changes which signatures verify. BouncyCastle's {@code verify(sig, pk bytes, m)} checks the key
 * with {@code checkPointFullVar} (rejecting non-canonical y, y = 0, 1, p - 1 and the order-8 points) and
 * {@code decodePointVar} (rejecting y with no square root and x = 0 with the sign bit set), and verification
 * fails when either rejects. {@link Ed25519#validatePublicKeyPartialExport} runs exactly those two checks and
 * returns the decoded point, or null when either rejects. {@code verify(sig, PublicPoint, m)} then runs the
 * same remaining steps (R and S checks, SHA-512 over R, the re-encoded A and M, the same scalar multiplication);
 * since a key that passed {@code checkPointFullVar} is canonically encoded, re-encoding the point gives back the
 * original 32 bytes, so the hash is the same. {@code DecodedPublicKeysTest} checks the equivalence on valid keys,
 * every small-order and non-canonical encoding, random byte strings and corrupted signatures.
 *
 * <p>Two-way set-associative, {@value #SETS} sets, so at most {@code 2 * SETS} keys (~170 bytes each, and ~4 KB more for a key whose table of 16 multiples a batch check made: at most ~70 MB) are held;
 * a lookup that misses replaces the set's least recently inserted key. Invalid keys are not cached. Safe
 * without locks: entries are immutable and published through final fields, so a racing reader sees either a
 * complete entry or another one; a lost update only costs a decode. Whatever the cache holds, the answer is
 * the same: it is a pure function of the key bytes.
 */
final class DecodedPublicKeys {
    static final int SETS = 8192;

    /** Shared by every {@link PublicKey}: a sender's key arrives in a new object with each decoded transaction. */
    static final DecodedPublicKeys SHARED = new DecodedPublicKeys(SETS);

    private static final class Entry {
        final byte[] key;
        final Ed25519.PublicPoint point;
        /** The key's odd multiples for the batch check, made on first use; volatile publishes the filled arrays. */
        volatile EdwardsPoint.Cached[] multiples;

        Entry(byte[] key, Ed25519.PublicPoint point) {
            this.key = key;
            this.point = point;
        }
    }

    private final Entry[] slots;
    private final int mask;

    DecodedPublicKeys(int sets) {
        if (Integer.bitCount(sets) != 1) throw new IllegalArgumentException("sets must be a power of two");
        this.slots = new Entry[2 * sets];
        this.mask = sets - 1;
    }

    /**
     * The decoded point of a 32-byte key, or null when the key is rejected (then every signature under it fails).
     * {@code key} must not be modified afterwards: it is kept as the cache key.
     */
    Ed25519.PublicPoint decode(byte[] key) {
        Entry e = entry(key);
        return e == null ? null : e.point;
    }

    /**
     * The odd multiples A, 3A, ..., 31A of an accepted key's point, for {@link Ed25519BatchCheck}, or null when
     * the key is rejected (by the same checks as {@link #decode}).
     */
    EdwardsPoint.Cached[] multiples(byte[] key) {
        Entry e = entry(key);
        if (e == null) return null;
        EdwardsPoint.Cached[] m = e.multiples;
        if (m == null) {
            EdwardsPoint a = new EdwardsPoint();
            if (!EdwardsPoint.decode(key, 0, a)) return null;
            m = EdwardsPoint.oddMultiples(a, Ed25519BatchCheck.KEY_WIDTH, new EdwardsPoint.Scratch());
            e.multiples = m;
        }
        return m;
    }

    private Entry entry(byte[] key) {
        int first = 2 * (index(key) & mask);
        Entry[] s = slots;
        Entry a = s[first];
        if (a != null && Arrays.equals(a.key, key)) return a;
        Entry b = s[first + 1];
        if (b != null && Arrays.equals(b.key, key)) return b;
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(key, 0);
        if (point == null) return null;
        Entry fresh = new Entry(key, point);
        s[first + 1] = a;
        s[first] = fresh;
        return fresh;
    }

    /** The number of keys held (for tests). */
    int size() {
        int n = 0;
        for (Entry e : slots) if (e != null) n++;
        return n;
    }

    int capacity() {
        return slots.length;
    }

    private static int index(byte[] key) {
        // A valid key's bytes are an encoded curve point: its low bytes are already well mixed.
        int h = (key[0] & 0xff) | (key[1] & 0xff) << 8 | (key[2] & 0xff) << 16 | (key[3] & 0xff) << 24;
        return h ^ (h >>> 13);
    }
}
