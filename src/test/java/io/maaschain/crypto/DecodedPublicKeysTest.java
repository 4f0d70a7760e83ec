package io.maaschain.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * The cached-key verification ({@link PublicKey#verify}, through {@link DecodedPublicKeys}) must accept exactly
 * the signatures that BouncyCastle's plain {@code Ed25519.verify} with the key bytes accepts: this is consensus
 * code. Every check compares the two on the same input, with the cache cold and warm, on valid keys, on every
 * small-order and non-canonical key encoding, on keys with a small-order component, on arbitrary bytes, and on
 * corrupted signatures and messages.
 */
class DecodedPublicKeysTest {

    /** BouncyCastle's verification with the key bytes: what {@code PublicKey.verify} did before the cache. */
    static boolean plain(byte[] key, byte[] message, byte[] signature) {
        return Ed25519.verify(signature, 0, key, 0, message, 0, message.length);
    }

    /** Asserts that both paths agree, with a fresh cache (cold, then warm) and with the shared one; returns the verdict. */
    static boolean assertSameVerdict(byte[] key, byte[] message, byte[] signature) {
        boolean expected = plain(key, message, signature);
        DecodedPublicKeys fresh = new DecodedPublicKeys(4);
        for (int round = 0; round < 2; round++) {
            Ed25519.PublicPoint point = fresh.decode(key.clone());
            boolean cached = point != null && Ed25519.verify(signature, 0, point, message, 0, message.length);
            assertThat(cached).as("cached path, round %d, key %s", round, Hex(key)).isEqualTo(expected);
            assertThat(PublicKey.wrap(key).verify(message, Signature.wrap(signature)))
                    .as("PublicKey.verify, round %d, key %s", round, Hex(key)).isEqualTo(expected);
        }
        return expected;
    }

    private static String Hex(byte[] b) {
        return io.maaschain.codec.Hex.encode(b);
    }

    // ------------------------------------------------------------------------------------------ properties

    @Property(tries = 300)
    void validSignaturesAndCorruptionsOfThemGetTheSameVerdict(@ForAll @Size(32) byte[] seed,
                                                               @ForAll @Size(max = 300) byte[] message,
                                                               @ForAll("corruptions") int what,
                                                               @ForAll @IntRange(min = 0, max = 100_000) int bit) {
        KeyPair pair = KeyPair.fromSeed(seed);
        byte[] key = pair.publicKey().toBytes();
        byte[] signature = pair.sign(message).toBytes();
        byte[] msg = message;
        switch (what) {
            case 0 -> { }
            case 1 -> key = Ed25519PropertyTest.flip(key, bit % 256);
            case 2 -> signature = Ed25519PropertyTest.flip(signature, bit % 512);
            case 3 -> msg = message.length == 0 ? new byte[] {1} : Ed25519PropertyTest.flip(message, bit % (message.length * 8));
            case 4 -> key = withTorsion(key, bit % 8);
            default -> throw new IllegalArgumentException();
        }
        boolean verdict = assertSameVerdict(key, msg, signature);
        if (what == 0) assertThat(verdict).isTrue();
    }

    @Provide
    Arbitrary<Integer> corruptions() {
        return Arbitraries.integers().between(0, 4);
    }

    @Property(tries = 300)
    void arbitraryKeyBytesGetTheSameVerdict(@ForAll @Size(32) byte[] key, @ForAll @Size(32) byte[] seed,
                                            @ForAll @Size(max = 200) byte[] message) {
        // A real signature by another key, and one whose S is zero (R = identity is then a candidate).
        assertSameVerdict(key, message, KeyPair.fromSeed(seed).sign(message).toBytes());
        byte[] identityR = new byte[64];
        identityR[0] = 1;
        assertSameVerdict(key, message, identityR);
    }

    // ------------------------------------------------------------------------------------------ edge keys

    /**
     * Every small-order point (the 8 torsion points) in every encoding, canonical or not, with signatures that
     * satisfy the verification equation [S]B = R + [k]A: verification must fail on both paths because the key is
     * rejected, not because the equation fails.
     */
    @Test
    void smallOrderKeysInEveryEncodingAreRejectedByBoth() {
        List<byte[]> keys = new ArrayList<>();
        for (Point t : Ref.torsion()) {
            byte[] enc = Ref.encode(t);
            keys.add(enc);
            for (byte[] alt : Ref.nonCanonicalEncodings(t)) keys.add(alt);
        }
        assertThat(keys).hasSizeGreaterThanOrEqualTo(8 + 4);
        int equationHolds = 0;
        for (byte[] key : keys) {
            for (int i = 0; i < 16; i++) {
                byte[] message = ("small order " + i).getBytes(StandardCharsets.UTF_8);
                // R = [r]B, S = r: the equation holds iff [k]A = identity, which happens for k = 0 mod ord(A).
                BigInteger r = BigInteger.valueOf(1000 + i);
                byte[] sig = Ref.signature(Ref.encode(Ref.B.times(r)), r);
                Point a = Ref.decodeLenient(key);
                if (a != null && a.times(Ref.k(sig, key, message)).isIdentity()) equationHolds++;
                assertThat(assertSameVerdict(key, message, sig)).as("key %s", Hex(key)).isFalse();
            }
        }
        assertThat(equationHolds).as("signatures that only the key check rejects").isGreaterThan(8);
    }

    /** y >= p and x = 0 with the sign bit set: both reject, for every such encoding with y < 2^255. */
    @Test
    void nonCanonicalAndSignedZeroEncodingsAreRejectedByBoth() {
        List<byte[]> keys = new ArrayList<>();
        for (int y = 0; y < 19; y++) {
            for (int sign = 0; sign < 2; sign++) keys.add(Ref.rawEncoding(Ref.P.add(BigInteger.valueOf(y)), sign));
        }
        keys.add(Ref.rawEncoding(BigInteger.ONE, 1));                       // identity with x "negative"
        keys.add(Ref.rawEncoding(Ref.P.subtract(BigInteger.ONE), 1));      // order 2 with x "negative"
        byte[] message = "non-canonical".getBytes(StandardCharsets.UTF_8);
        byte[] sig = KeyPair.fromSeed(new byte[32]).sign(message).toBytes();
        for (byte[] key : keys) {
            assertThat(assertSameVerdict(key, message, sig)).isFalse();
            assertThat(new DecodedPublicKeys(4).decode(key)).isNull();
        }
    }

    /**
     * Keys A' = [a]B + T with T of order 2, 4 or 8 pass the encoding checks, so the cached path really uses
     * the decoded point. Signatures made with a satisfy the cofactorless equation only when [k]T = 0; whatever
     * BouncyCastle decides for each, both paths must decide the same.
     */
    @Test
    void keysWithASmallOrderComponentGetTheSameVerdict() {
        Set<Boolean> verdicts = new LinkedHashSet<>();
        int used = 0;
        for (int t = 1; t < 8; t++) {
            BigInteger a = BigInteger.valueOf(7919L * t + 12345);
            Point pub = Ref.B.times(a).plus(Ref.torsion().get(t));
            byte[] key = Ref.encode(pub);
            if (!Ed25519.validatePublicKeyPartial(key, 0)) continue;
            assertThat(Ed25519.validatePublicKeyFull(key, 0)).isFalse();
            used++;
            for (int i = 0; i < 24; i++) {
                byte[] message = ("mixed " + t + "/" + i).getBytes(StandardCharsets.UTF_8);
                BigInteger r = BigInteger.valueOf(31L * i + 17);
                byte[] rBytes = Ref.encode(Ref.B.times(r));
                BigInteger k = Ref.k(Ref.signature(rBytes, BigInteger.ZERO), key, message);
                BigInteger s = r.add(k.multiply(a)).mod(Ref.L);
                verdicts.add(assertSameVerdict(key, message, Ref.signature(rBytes, s)));
                assertThat(assertSameVerdict(key, message, Ref.signature(rBytes, s.add(BigInteger.ONE).mod(Ref.L)))).isFalse();
            }
        }
        assertThat(used).isGreaterThanOrEqualTo(6);
        // BouncyCastle 1.80's check is cofactored ([8]([S]B - R - [k]A) = 0), so it accepts all of these; the
        // point is that the cached path does too, and rejects the same wrong-S signatures.
        assertThat(verdicts).containsExactly(true);
    }

    @Test
    void rfc8032KeysAndTheirSignaturesStillVerify() {
        for (Rfc8032VectorsTest.Vector v : Rfc8032VectorsTest.vectors().toList()) {
            byte[] key = io.maaschain.codec.Hex.decode(v.publicKey());
            assertThat(assertSameVerdict(key, io.maaschain.codec.Hex.decode(v.message()), io.maaschain.codec.Hex.decode(v.signature()))).isTrue();
        }
    }

    // ------------------------------------------------------------------------------------------ the bound

    @Test
    void theCacheIsBoundedAndStaysCorrectAfterEviction() {
        DecodedPublicKeys cache = new DecodedPublicKeys(4);
        assertThat(cache.capacity()).isEqualTo(8);
        List<KeyPair> pairs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) i;
            pairs.add(KeyPair.fromSeed(seed));
        }
        byte[] message = "bounded".getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 3; round++) {
            for (KeyPair p : pairs) {
                byte[] sig = p.sign(message).toBytes();
                Ed25519.PublicPoint point = cache.decode(p.publicKey().toBytes());
                assertThat(Ed25519.verify(sig, 0, point, message, 0, message.length)).isTrue();
                byte[] other = pairs.get((pairs.indexOf(p) + 1) % pairs.size()).sign(message).toBytes();
                assertThat(Ed25519.verify(other, 0, point, message, 0, message.length)).isFalse();
                assertThat(cache.size()).isLessThanOrEqualTo(8);
            }
        }
        assertThat(DecodedPublicKeys.SHARED.capacity()).isEqualTo(2 * DecodedPublicKeys.SETS);
    }

    @Test
    void aHitReturnsThePointForTheSameBytesOnly() {
        DecodedPublicKeys cache = new DecodedPublicKeys(1);
        byte[] k1 = KeyPair.fromSeed(new byte[32]).publicKey().toBytes();
        byte[] k2 = KeyPair.fromSeed(filled(1)).publicKey().toBytes();
        byte[] k3 = KeyPair.fromSeed(filled(2)).publicKey().toBytes();
        Ed25519.PublicPoint p1 = cache.decode(k1);
        Ed25519.PublicPoint p2 = cache.decode(k2);
        assertThat(cache.decode(k1.clone())).isSameAs(p1);
        assertThat(cache.decode(k2.clone())).isSameAs(p2);
        cache.decode(k3);                                   // evicts the older of the set
        assertThat(cache.size()).isEqualTo(2);
        for (byte[] k : List.of(k1, k2, k3)) {
            byte[] out = new byte[32];
            Ed25519.encodePublicPoint(cache.decode(k.clone()), out, 0);
            assertThat(out).isEqualTo(k);
        }
    }

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) v);
        return b;
    }

    /** key + T_t (t in 0..7), re-encoded; the key itself if it does not decode. */
    static byte[] withTorsion(byte[] key, int t) {
        Point a = Ref.decodeLenient(key);
        return a == null ? key : Ref.encode(a.plus(Ref.torsion().get(t)));
    }

    // ------------------------------------------------------------------------------------------ reference math

    /** An affine point of edwards25519, with plain BigInteger arithmetic (slow, for building test inputs only). */
    record Point(BigInteger x, BigInteger y) {
        Point plus(Point o) {
            BigInteger p = Ref.P;
            BigInteger xy = x.multiply(o.y).add(y.multiply(o.x));
            BigInteger yy = y.multiply(o.y).add(x.multiply(o.x));
            BigInteger dxy = Ref.D.multiply(x).multiply(o.x).multiply(y).multiply(o.y).mod(p);
            BigInteger x3 = xy.multiply(BigInteger.ONE.add(dxy).modInverse(p)).mod(p);
            BigInteger y3 = yy.multiply(BigInteger.ONE.subtract(dxy).mod(p).modInverse(p)).mod(p);
            return new Point(x3, y3);
        }

        Point times(BigInteger n) {
            Point result = Ref.IDENTITY;
            Point addend = this;
            for (int i = 0; i < n.bitLength(); i++) {
                if (n.testBit(i)) result = result.plus(addend);
                addend = addend.plus(addend);
            }
            return result;
        }

        boolean isIdentity() {
            return x.signum() == 0 && y.equals(BigInteger.ONE);
        }
    }

    static final class Ref {
        static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
        static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
        static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
        static final Point IDENTITY = new Point(BigInteger.ZERO, BigInteger.ONE);
        static final Point B = decodeLenient(io.maaschain.codec.Hex.decode("5866666666666666666666666666666666666666666666666666666666666666"));
        private static List<Point> torsion;

        /** The 8 points of order dividing 8, as T_0 = identity, T_i = [i]T_1 with T_1 of order 8. */
        static synchronized List<Point> torsion() {
            if (torsion == null) {
                Point t1 = null;
                // A point of order 8 is [L]Q for a Q whose order is 8L; search small y.
                for (int y = 2; t1 == null; y++) {
                    Point q = fromY(BigInteger.valueOf(y), 0);
                    if (q == null) continue;
                    Point t = q.times(L);
                    if (!t.times(BigInteger.valueOf(4)).isIdentity()) t1 = t;
                }
                List<Point> list = new ArrayList<>();
                Point acc = IDENTITY;
                for (int i = 0; i < 8; i++) {
                    list.add(acc);
                    acc = acc.plus(t1);
                }
                assertThat(acc.isIdentity()).isTrue();
                torsion = List.copyOf(list);
            }
            return torsion;
        }

        static Point fromY(BigInteger y, int sign) {
            BigInteger u = y.multiply(y).subtract(BigInteger.ONE).mod(P);
            BigInteger v = D.multiply(y).multiply(y).add(BigInteger.ONE).mod(P);
            BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
            BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
            if (!x.multiply(x).mod(P).equals(x2)) x = x.multiply(SQRT_M1).mod(P);
            if (!x.multiply(x).mod(P).equals(x2)) return null;
            if (x.signum() == 0 && sign == 1) return null;
            if (x.testBit(0) != (sign == 1)) x = P.subtract(x).mod(P);
            return new Point(x, y);
        }

        /** RFC 8032 decoding, except that y >= p is reduced instead of rejected. */
        static Point decodeLenient(byte[] enc) {
            byte[] le = enc.clone();
            int sign = (le[31] >>> 7) & 1;
            le[31] &= 0x7f;
            return fromY(littleEndian(le).mod(P), sign);
        }

        static byte[] encode(Point pt) {
            return rawEncoding(pt.y, pt.x.testBit(0) ? 1 : 0);
        }

        /** y (any value below 2^255) little-endian with the sign bit; no check that it is a point. */
        static byte[] rawEncoding(BigInteger y, int sign) {
            byte[] out = new byte[32];
            byte[] be = y.toByteArray();
            for (int i = 0; i < be.length && i < 32; i++) out[i] = be[be.length - 1 - i];
            out[31] = (byte) ((out[31] & 0x7f) | (sign << 7));
            return out;
        }

        /** The other encodings of the same point with y + p < 2^255 (only possible for y < 19). */
        static List<byte[]> nonCanonicalEncodings(Point pt) {
            List<byte[]> out = new ArrayList<>();
            BigInteger alt = pt.y.add(P);
            if (alt.bitLength() <= 255) {
                out.add(rawEncoding(alt, pt.x.testBit(0) ? 1 : 0));
                if (pt.x.signum() == 0) out.add(rawEncoding(alt, 1));
            }
            if (pt.x.signum() == 0) out.add(rawEncoding(pt.y, 1));
            return out;
        }

        static byte[] signature(byte[] r, BigInteger s) {
            byte[] sig = new byte[64];
            System.arraycopy(r, 0, sig, 0, 32);
            byte[] sl = rawEncoding(s, 0);
            System.arraycopy(sl, 0, sig, 32, 32);
            return sig;
        }

        /** k = SHA-512(R || A || M) mod L, as the verifier computes it. */
        static BigInteger k(byte[] sig, byte[] key, byte[] message) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-512");
                sha.update(sig, 0, 32);
                sha.update(key);
                sha.update(message);
                return littleEndian(sha.digest()).mod(L);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        static BigInteger littleEndian(byte[] le) {
            byte[] be = new byte[le.length];
            for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
            return new BigInteger(1, be);
        }
    }
}
