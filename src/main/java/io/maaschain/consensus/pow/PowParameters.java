package io.maaschain.consensus.pow;

import java.math.BigInteger;

/**
 * Chain constants for proof of work.
 *
 * @param powLimitBits          the easiest target any block may use (compact form)
 * @param initialBits           the genesis block's target; at most as easy as {@code powLimitBits}
 * @param targetBlockTimeMillis the block interval difficulty adjustment aims for
 * @param retargetInterval      blocks per difficulty period; the target changes only at multiples of it
 * @param noRetargeting         keep {@code initialBits} forever (regtest-style chains and benchmarks)
 * @param blockReward           new coins per block, in the smallest unit
 */
public record PowParameters(
        int powLimitBits,
        int initialBits,
        long targetBlockTimeMillis,
        int retargetInterval,
        boolean noRetargeting,
        long blockReward) {

    public PowParameters {
        requireUsableTarget("powLimitBits", powLimitBits);
        requireUsableTarget("initialBits", initialBits);
        if (CompactTarget.toTarget(initialBits).compareTo(CompactTarget.toTarget(powLimitBits)) > 0) {
            throw new IllegalArgumentException("initialBits " + CompactTarget.hex(initialBits)
                    + " is easier than powLimitBits " + CompactTarget.hex(powLimitBits));
        }
        if (targetBlockTimeMillis <= 0) {
            throw new IllegalArgumentException("targetBlockTimeMillis must be positive, got " + targetBlockTimeMillis);
        }
        // The first window starts at genesis and spans interval - 1 gaps (see Retarget), which must not be zero.
        if (retargetInterval < 2) {
            throw new IllegalArgumentException("retargetInterval must be at least 2 blocks, got " + retargetInterval);
        }
        // Keeps expectedTimespan * 4 and target * timespan products far from long overflow.
        if (targetBlockTimeMillis > Long.MAX_VALUE / 8 / retargetInterval) {
            throw new IllegalArgumentException("targetBlockTimeMillis * retargetInterval is too large");
        }
        if (blockReward < 0) throw new IllegalArgumentException("blockReward must not be negative, got " + blockReward);
    }

    private static void requireUsableTarget(String name, int bits) {
        CompactTarget.Decoded d = CompactTarget.decode(bits);
        String shown = name + " " + CompactTarget.hex(bits);
        if (d.negative()) throw new IllegalArgumentException(shown + " is negative");
        if (d.overflow()) throw new IllegalArgumentException(shown + " overflows 256 bits");
        if (d.value().signum() == 0) throw new IllegalArgumentException(shown + " is a zero target, which no hash meets");
        if (!CompactTarget.isCanonical(bits)) {
            throw new IllegalArgumentException(shown + " is not canonical; use "
                    + CompactTarget.hex(CompactTarget.encode(d.value())));
        }
    }

    public BigInteger powLimit() {
        return CompactTarget.toTarget(powLimitBits);
    }

    /** The wall time one full difficulty period should take. */
    public long expectedTimespanMillis() {
        return targetBlockTimeMillis * retargetInterval;
    }
}
