package io.maaschain.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * One check of many Ed25519 signatures at once: the randomised linear combination of their verification
 * equations (Bernstein et al., "High-speed high-security signatures", section 5), evaluated as one multi-scalar
 * multiplication. With coefficients z_i,
 * <pre>
 *   [8] ( [sum z_i S_i] B  -  sum [z_i] R_i  -  sum [z_i k_i] A_i )  =  O,      k_i = SHA-512(R_i || A_i || M_i) mod l
 * </pre>
 * holds whenever every signature satisfies the cofactored equation [8]([S]B - R - [k]A) = O, which is exactly
 * what BouncyCastle's single verification checks (it multiplies its Straus result by 8). If any signature does
 * not, the combination vanishes only if the z_i hit a root of a nonzero linear form, probability at most
 * 2^-127. So a true result means every signature verifies; a false result means at least one does not, or
 * a signature failed the checks done before the arithmetic (S < l, R and A canonical and on the curve,
 * A accepted by BouncyCastle's key check), and the caller finds which by checking smaller batches.
 *
 * <p>The z_i are not drawn from a random source: they are SHA-512 of the whole batch (every signature, key and
 * k_i), so the check is deterministic and replayable, and whoever chooses the signatures (a block proposer
 * included) must find a batch whose own hash makes the bad signatures cancel, which costs 2^127 tries.
 *
 * <p>Cost: per signature, R's decompression, its table of odd multiples and ~22 additions for its 128-bit
 * coefficient, plus ~36 additions for A's 253-bit coefficient from A's cached table; the 253 doublings and B's
 * additions are shared by the whole batch.
 */
final class Ed25519BatchCheck {
    static final BigInteger L = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
    /** NAF width for R_i, whose table is made for one use. */
    static final int POINT_WIDTH = 5;
    /** NAF width for A_i, whose table is cached with the decoded key: wider, fewer additions. */
    static final int KEY_WIDTH = 6;
    private static final int BASE_WIDTH = 8;
    private static final byte[] DOMAIN = "maaschain/ed25519-batch/v1".getBytes(StandardCharsets.US_ASCII);
    private static final EdwardsPoint.Cached[] BASE_TABLE = baseTable();
    private static final ThreadLocal<MessageDigest> TRANSCRIPT = ThreadLocal.withInitial(Ed25519BatchCheck::sha512);
    private static final ThreadLocal<MessageDigest> CHALLENGE = ThreadLocal.withInitial(Ed25519BatchCheck::sha512);

    private Ed25519BatchCheck() {}

    /** Whether every signature of the batch verifies (see the class comment for what false means). */
    static boolean holds(List<SignedMessage> batch) {
        int n = batch.size();
        MessageDigest sha = TRANSCRIPT.get();
        MessageDigest h = CHALLENGE.get();
        sha.reset();
        h.reset();
        EdwardsPoint.Scratch scratch = new EdwardsPoint.Scratch();
        EdwardsPoint.Cached[][] tables = new EdwardsPoint.Cached[2 * n + 1][];
        BigInteger[] s = new BigInteger[n];
        BigInteger[] k = new BigInteger[n];
        sha.update(DOMAIN);
        EdwardsPoint r = new EdwardsPoint();
        for (int i = 0; i < n; i++) {
            SignedMessage item = batch.get(i);
            byte[] sig = item.signature().bytesUnsafe();
            byte[] key = item.key().bytesUnsafe();
            s[i] = littleEndian(sig, 32, 32);
            if (s[i].compareTo(L) >= 0) return false;
            EdwardsPoint.Cached[] keyTable = DecodedPublicKeys.SHARED.multiples(key);
            if (keyTable == null || !EdwardsPoint.decode(sig, 0, r)) return false;
            tables[2 * i] = EdwardsPoint.oddMultiples(r, POINT_WIDTH, scratch);
            tables[2 * i + 1] = keyTable;
            h.update(sig, 0, 32);
            h.update(key);
            h.update(item.message());
            k[i] = littleEndian(h.digest(), 0, 64).mod(L);
            sha.update(sig);
            sha.update(key);
            sha.update(EdwardsPoint.littleEndian32(k[i]));
        }
        byte[] seed = sha.digest();
        byte[][] nafs = new byte[2 * n + 1][];
        BigInteger base = BigInteger.ZERO;
        byte[] block = new byte[seed.length + 4];
        System.arraycopy(seed, 0, block, 0, seed.length);
        for (int i = 0; i < n; i++) {
            BigInteger z = coefficient(sha, block, i);
            base = base.add(z.multiply(s[i]));
            nafs[2 * i] = nonAdjacentForm(z, POINT_WIDTH);
            nafs[2 * i + 1] = nonAdjacentForm(z.multiply(k[i]).mod(L), KEY_WIDTH);
        }
        nafs[2 * n] = nonAdjacentForm(base.mod(L), BASE_WIDTH);
        tables[2 * n] = BASE_TABLE;
        return combinationVanishes(nafs, tables, 2 * n, scratch);
    }

    /**
     * Evaluates [8] (sum over terms of +-[scalar] P) by Straus' method and says whether it is the neutral element:
     * terms below {@code positiveFrom} are subtracted (the R_i and A_i), the rest added (B).
     */
    private static boolean combinationVanishes(byte[][] nafs, EdwardsPoint.Cached[][] tables, int positiveFrom,
                                               EdwardsPoint.Scratch scratch) {
        int top = 255;
        while (top >= 0 && !anyDigitAt(nafs, top)) top--;
        EdwardsPoint acc = EdwardsPoint.neutral();
        for (int bit = top; bit >= 0; bit--) {
            acc.twice(scratch);
            for (int j = 0; j < nafs.length; j++) {
                int d = nafs[j][bit];
                if (d == 0) continue;
                boolean subtract = (d < 0) ^ (j < positiveFrom);
                acc.add(tables[j][Math.abs(d) >> 1], subtract, scratch);
            }
        }
        return acc.timesEightIsNeutral(scratch);
    }

    private static boolean anyDigitAt(byte[][] nafs, int bit) {
        for (byte[] naf : nafs) if (naf[bit] != 0) return true;
        return false;
    }

    /** z_i: 128 bits of SHA-512(seed || i), made odd so that it is never zero. */
    private static BigInteger coefficient(MessageDigest sha, byte[] block, int i) {
        int off = block.length - 4;
        block[off] = (byte) (i >>> 24);
        block[off + 1] = (byte) (i >>> 16);
        block[off + 2] = (byte) (i >>> 8);
        block[off + 3] = (byte) i;
        byte[] h = sha.digest(block);
        h[0] |= 1;
        return littleEndian(h, 0, 16);
    }

    /**
     * The width-w non-adjacent form of a scalar below 2^253: 256 signed digits, each zero or odd with absolute
     * value below 2^(w-1), and any two nonzero digits at least w positions apart.
     */
    static byte[] nonAdjacentForm(BigInteger scalar, int width) {
        long[] words = new long[5];
        byte[] le = EdwardsPoint.littleEndian32(scalar);
        for (int i = 0; i < 32; i++) words[i >>> 3] |= (le[i] & 0xffL) << ((i & 7) * 8);
        byte[] naf = new byte[256];
        long windowSize = 1L << width;
        long mask = windowSize - 1;
        long carry = 0;
        int pos = 0;
        while (pos < 256) {
            int index = pos >>> 6;
            int bit = pos & 63;
            long bits = bit < 64 - width ? words[index] >>> bit : (words[index] >>> bit) | (words[index + 1] << (64 - bit));
            long window = carry + (bits & mask);
            if ((window & 1) == 0) {
                pos++;
                continue;
            }
            if (window < windowSize / 2) {
                carry = 0;
                naf[pos] = (byte) window;
            } else {
                carry = 1;
                naf[pos] = (byte) (window - windowSize);
            }
            pos += width;
        }
        return naf;
    }

    private static BigInteger littleEndian(byte[] bytes, int off, int len) {
        byte[] be = new byte[len];
        for (int i = 0; i < len; i++) be[i] = bytes[off + len - 1 - i];
        return new BigInteger(1, be);
    }

    private static EdwardsPoint.Cached[] baseTable() {
        EdwardsPoint b = new EdwardsPoint();
        byte[] encoding = HexFormat.of().parseHex("5866666666666666666666666666666666666666666666666666666666666666");
        if (!EdwardsPoint.decode(encoding, 0, b)) throw new IllegalStateException("the base point does not decode");
        return EdwardsPoint.oddMultiples(b, BASE_WIDTH, new EdwardsPoint.Scratch());
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-512", e);
        }
    }
}
