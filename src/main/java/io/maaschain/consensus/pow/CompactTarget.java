package io.maaschain.consensus.pow;

import java.math.BigInteger;

/**
 * Bitcoin's compact target encoding ("nBits"), bit for bit as Bitcoin Core's {@code arith_uint256::SetCompact}
 * and {@code GetCompact}: the top byte is a size in bytes, the low 23 bits a mantissa, and bit 23 a sign.
 *
 * <p>Targets are compared with block hashes read as 256-bit <em>big-endian</em> unsigned numbers
 * ({@code new BigInteger(1, hash)}), unlike Bitcoin, which reads its hashes little-endian. The encoding of the
 * target itself is unaffected; only which end of the hash must be zero differs (here: the leading bytes).
 */
public final class CompactTarget {
    /** 2^256: targets and hashes live below it. */
    public static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
    private static final BigInteger MAX_256 = TWO_256.subtract(BigInteger.ONE);

    private static final int SIGN_BIT = 0x0080_0000;
    private static final int MANTISSA_MASK = 0x007F_FFFF;

    private CompactTarget() {}

    /**
     * What {@code SetCompact} yields: the magnitude (reduced mod 2^256 as {@code arith_uint256} does) and the
     * two flags that make an encoding unusable as a target.
     */
    public record Decoded(BigInteger value, boolean negative, boolean overflow) {
        public boolean valid() {
            return !negative && !overflow;
        }
    }

    public static Decoded decode(int bits) {
        int size = bits >>> 24;
        int word = bits & MANTISSA_MASK;
        BigInteger value;
        if (size <= 3) {
            // Bitcoin Core shifts the mantissa before testing the sign, so 0x01803456 is zero, not negative zero.
            word >>>= 8 * (3 - size);
            value = BigInteger.valueOf(word);
        } else {
            value = BigInteger.valueOf(word).shiftLeft(8 * (size - 3)).and(MAX_256);
        }
        boolean negative = word != 0 && (bits & SIGN_BIT) != 0;
        boolean overflow = word != 0 && (size > 34 || (word > 0xFF && size > 33) || (word > 0xFFFF && size > 32));
        return new Decoded(value, negative, overflow);
    }

    /** The target for {@code bits}; rejects encodings Bitcoin flags as negative or overflowing. */
    public static BigInteger toTarget(int bits) {
        Decoded d = decode(bits);
        if (d.negative()) throw new IllegalArgumentException("compact target " + hex(bits) + " is negative");
        if (d.overflow()) throw new IllegalArgumentException("compact target " + hex(bits) + " overflows 256 bits");
        return d.value();
    }

    /** {@code GetCompact()}: the canonical encoding of a 256-bit value, rounding the mantissa down. */
    public static int encode(BigInteger value) {
        return encode(value, false);
    }

    /** {@code GetCompact(negative)}; the sign is only set for a non-zero mantissa, as in Bitcoin Core. */
    public static int encode(BigInteger value, boolean negative) {
        if (value.signum() < 0 || value.compareTo(MAX_256) > 0) {
            throw new IllegalArgumentException("not a 256-bit unsigned value: " + value);
        }
        int size = (value.bitLength() + 7) / 8;
        int compact = size <= 3
                ? value.intValue() << (8 * (3 - size))
                : value.shiftRight(8 * (size - 3)).intValue();
        // Bit 23 is the sign, so a mantissa reaching it moves one byte right and the size grows by one.
        if ((compact & SIGN_BIT) != 0) {
            compact >>>= 8;
            size++;
        }
        compact |= size << 24;
        if (negative && (compact & MANTISSA_MASK) != 0) compact |= SIGN_BIT;
        return compact;
    }

    /** True for the one encoding {@link #encode} produces for its value, and only for valid (usable) ones. */
    public static boolean isCanonical(int bits) {
        Decoded d = decode(bits);
        return d.valid() && encode(d.value()) == bits;
    }

    /**
     * The expected number of hashes to meet the target, 2^256 / (target + 1), which sums to chain work.
     * Zero for negative, overflowing or zero targets, as Bitcoin's {@code GetBlockProof}.
     */
    public static BigInteger work(int bits) {
        Decoded d = decode(bits);
        if (!d.valid() || d.value().signum() == 0) return BigInteger.ZERO;
        return TWO_256.divide(d.value().add(BigInteger.ONE));
    }

    public static String hex(int bits) {
        return String.format("0x%08x", bits);
    }
}
