package io.maaschain.crypto;

import java.math.BigInteger;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * A mutable point of edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19)) in extended coordinates
 * (X:Y:Z:T) with x = X/Z, y = Y/Z and xy = T/Z, for the inner loop of {@link Ed25519BatchCheck}. The field
 * arithmetic is BouncyCastle's {@link X25519Field} (ten signed limbs); the formulas are those of ref10
 * ({@code ge_add}, {@code ge_p2_dbl}, Hisil-Wong-Carter-Dawson 2008 with a = -1), which are complete for this
 * curve: they hold for doubling, the neutral element and points of small order alike.
 *
 * <p>{@code X25519Field.mul} accepts a sum or difference of two reduced values; where a formula adds three,
 * the limbs are carried first.
 */
final class EdwardsPoint {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger D_VALUE = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    static final int[] D = constant(D_VALUE);
    static final int[] D2 = constant(D_VALUE.shiftLeft(1).mod(P));

    final int[] x = X25519Field.create();
    final int[] y = X25519Field.create();
    final int[] z = X25519Field.create();
    final int[] t = X25519Field.create();

    /** The point in the form that additions read: (Y + X, Y - X, Z, 2dT). */
    static final class Cached {
        final int[] yPlusX = X25519Field.create();
        final int[] yMinusX = X25519Field.create();
        final int[] z = X25519Field.create();
        final int[] t2d = X25519Field.create();
    }

    /** Scratch space for one thread's additions and doublings. */
    static final class Scratch {
        final int[] a = X25519Field.create();
        final int[] b = X25519Field.create();
        final int[] c = X25519Field.create();
        final int[] d = X25519Field.create();
        final int[] e = X25519Field.create();
        final int[] f = X25519Field.create();
    }

    static EdwardsPoint neutral() {
        EdwardsPoint p = new EdwardsPoint();
        X25519Field.one(p.y);
        X25519Field.one(p.z);
        return p;
    }

    /**
     * Decodes a 32-byte RFC 8032 point encoding exactly as BouncyCastle's verifier decodes R: y must be below p
     * (the sign bit aside), (y^2 - 1) / (d y^2 + 1) must have a square root, and x = 0 must not come with the
     * sign bit set. Small-order points are accepted, as BouncyCastle accepts them in R. Returns false, leaving
     * {@code r} undefined, when the encoding is rejected.
     */
    static boolean decode(byte[] encoding, int off, EdwardsPoint r) {
        if (!isCanonicalY(encoding, off)) return false;
        int sign = (encoding[off + 31] & 0x80) >>> 7;
        X25519Field.decode(encoding, off, r.y);
        int[] u = X25519Field.create();
        int[] v = X25519Field.create();
        X25519Field.sqr(r.y, u);
        X25519Field.mul(D, u, v);
        X25519Field.subOne(u);
        X25519Field.addOne(v);
        if (!X25519Field.sqrtRatioVar(u, v, r.x)) return false;
        X25519Field.normalize(r.x);
        if (sign == 1 && X25519Field.isZeroVar(r.x)) return false;
        if (sign != (r.x[0] & 1)) X25519Field.negate(r.x, r.x);
        X25519Field.one(r.z);
        X25519Field.mul(r.x, r.y, r.t);
        return true;
    }

    /** y, the low 255 bits, is below p = 2^255 - 19. */
    private static boolean isCanonicalY(byte[] e, int off) {
        if ((e[off + 31] & 0x7f) != 0x7f) return true;
        for (int i = 30; i >= 1; i--) if ((e[off + i] & 0xff) != 0xff) return true;
        return (e[off] & 0xff) < 0xed;
    }

    void set(EdwardsPoint p) {
        X25519Field.copy(p.x, 0, x, 0);
        X25519Field.copy(p.y, 0, y, 0);
        X25519Field.copy(p.z, 0, z, 0);
        X25519Field.copy(p.t, 0, t, 0);
    }

    void negate() {
        X25519Field.negate(x, x);
        X25519Field.negate(t, t);
    }

    void toCached(Cached c) {
        X25519Field.apm(y, x, c.yPlusX, c.yMinusX);
        X25519Field.copy(z, 0, c.z, 0);
        X25519Field.mul(t, D2, c.t2d);
    }

    /** this = this + q, or this - q when {@code subtract}. */
    void add(Cached q, boolean subtract, Scratch s) {
        X25519Field.apm(y, x, s.e, s.f);
        X25519Field.mul(s.e, subtract ? q.yMinusX : q.yPlusX, s.a);
        X25519Field.mul(s.f, subtract ? q.yPlusX : q.yMinusX, s.b);
        X25519Field.mul(t, q.t2d, s.c);
        X25519Field.mul(z, q.z, s.d);
        X25519Field.add(s.d, s.d, s.d);
        // Completed point: x = (A - B) / (D +- C), y = (A + B) / (D -+ C).
        X25519Field.apm(s.a, s.b, s.e, s.f);
        if (subtract) {
            X25519Field.apm(s.d, s.c, s.b, s.a);
        } else {
            X25519Field.apm(s.d, s.c, s.a, s.b);
        }
        X25519Field.carry(s.a);
        X25519Field.carry(s.b);
        fromCompleted(s.f, s.e, s.a, s.b);
    }

    /** this = 2 * this. */
    void twice(Scratch s) {
        X25519Field.sqr(x, s.a);
        X25519Field.sqr(y, s.b);
        X25519Field.sqr(z, s.c);
        X25519Field.add(s.c, s.c, s.c);
        X25519Field.add(x, y, s.d);
        X25519Field.sqr(s.d, s.d);
        X25519Field.apm(s.b, s.a, s.e, s.f);
        X25519Field.sub(s.d, s.e, s.d);
        X25519Field.carry(s.d);
        X25519Field.sub(s.c, s.f, s.c);
        X25519Field.carry(s.c);
        // Completed point: x = 2XY / (Y^2 - X^2), y = (Y^2 + X^2) / (2Z^2 - Y^2 + X^2).
        fromCompleted(s.d, s.e, s.f, s.c);
    }

    /** Sets this to the point x = xn / xd, y = yn / yd. */
    private void fromCompleted(int[] xn, int[] yn, int[] xd, int[] yd) {
        X25519Field.mul(xn, yd, x);
        X25519Field.mul(yn, xd, y);
        X25519Field.mul(xd, yd, z);
        X25519Field.mul(xn, yn, t);
    }

    /** Whether 8 * this is the neutral element, i.e. this lies in the small-order subgroup. Changes this. */
    boolean timesEightIsNeutral(Scratch s) {
        twice(s);
        twice(s);
        twice(s);
        X25519Field.normalize(x);
        X25519Field.normalize(y);
        X25519Field.normalize(z);
        return X25519Field.isZeroVar(x) && !X25519Field.isZeroVar(y) && X25519Field.areEqualVar(y, z);
    }

    /** Odd multiples P, 3P, ..., (2^(w-1) - 1)P of {@code p} in cached form, for a width-w NAF. */
    static Cached[] oddMultiples(EdwardsPoint p, int width, Scratch s) {
        Cached[] table = new Cached[1 << (width - 2)];
        EdwardsPoint twice = new EdwardsPoint();
        twice.set(p);
        twice.twice(s);
        Cached twiceCached = new Cached();
        twice.toCached(twiceCached);
        EdwardsPoint acc = new EdwardsPoint();
        acc.set(p);
        for (int i = 0; i < table.length; i++) {
            if (i > 0) acc.add(twiceCached, false, s);
            table[i] = new Cached();
            acc.toCached(table[i]);
        }
        return table;
    }

    /** Encodes a point to its 32 bytes (for tests). */
    byte[] encode() {
        int[] zi = X25519Field.create();
        int[] ax = X25519Field.create();
        int[] ay = X25519Field.create();
        X25519Field.invVar(z, zi);
        X25519Field.mul(x, zi, ax);
        X25519Field.mul(y, zi, ay);
        X25519Field.normalize(ax);
        X25519Field.normalize(ay);
        byte[] out = new byte[32];
        X25519Field.encode(ay, out, 0);
        out[31] |= (byte) ((ax[0] & 1) << 7);
        return out;
    }

    private static int[] constant(BigInteger value) {
        int[] f = X25519Field.create();
        X25519Field.decode(littleEndian32(value), 0, f);
        return f;
    }

    /** A value below 2^256 as 32 little-endian bytes. */
    static byte[] littleEndian32(BigInteger value) {
        byte[] be = value.toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) le[i] = be[be.length - 1 - i];
        return le;
    }
}
