package io.maaschain.consensus.pow;

import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.PowSeal;
import java.math.BigInteger;

/**
 * Difficulty adjustment, following Bitcoin's rules with one deliberate change in which blocks bound the measured
 * window.
 *
 * <p>Bitcoin measures from the <em>first</em> block of the period to its last, which is {@code interval - 1} block
 * gaps compared with an expected span of {@code interval} gaps (a known off-by-one), and leaves consecutive windows
 * disjoint, which is what the time-warp attack exploits. Here the window for a block at height {@code h} runs from
 * the last block of the previous period, {@code h - 1 - interval}, to the parent {@code h - 1}: exactly
 * {@code interval} gaps, and adjacent windows share their boundary block. The first window ({@code h == interval})
 * has no block at {@code -1}; it starts at genesis and its expected span is scaled to its {@code interval - 1} gaps.
 *
 * <p>Otherwise as Bitcoin: the measured span is clamped to [expected / 4, expected * 4], the new target is
 * {@code oldTarget * actual / expected} (integer division) capped at the proof-of-work limit, and the result is
 * re-encoded, which rounds its mantissa down.
 */
public final class Retarget {
    /** Blocks whose timestamps form the median time past, as in Bitcoin. */

    private Retarget() {}

    /** The compact target a block at {@code height} must carry, given the branch it extends. */
    public static int requiredBits(PowParameters params, long height, HeaderAncestry chain) {
        if (height < 0) throw new IllegalArgumentException("negative height " + height);
        if (height == 0) return params.initialBits();
        Header parent = chain.headerAt(height - 1);
        int parentBits = bitsOf(parent);
        if (params.noRetargeting() || height % params.retargetInterval() != 0) return parentBits;

        long first = Math.max(0, height - 1 - params.retargetInterval());
        long gaps = (height - 1) - first;
        long actual = parent.timestampMillis() - chain.headerAt(first).timestampMillis();
        return retarget(parentBits, actual, gaps * params.targetBlockTimeMillis(), params.powLimit());
    }

    /**
     * One adjustment step: scale the old target by actual / expected time, clamped to a factor of 4 either way
     * and capped at {@code powLimit}. A result that rounds to zero becomes 1, since no hash meets a zero target
     * and the chain would stop; Bitcoin never gets near that, so it is only a guard.
     */
    public static int retarget(int oldBits, long actualTimespanMillis, long expectedTimespanMillis, BigInteger powLimit) {
        if (expectedTimespanMillis <= 0) throw new IllegalArgumentException("expected timespan must be positive");
        long actual = Math.clamp(actualTimespanMillis, expectedTimespanMillis / 4, expectedTimespanMillis * 4);
        BigInteger target = CompactTarget.toTarget(oldBits)
                .multiply(BigInteger.valueOf(actual))
                .divide(BigInteger.valueOf(expectedTimespanMillis));
        if (target.compareTo(powLimit) > 0) target = powLimit;
        if (target.signum() == 0) target = BigInteger.ONE;
        return CompactTarget.encode(target);
    }

    static int bitsOf(Header header) {
        if (!(header.seal() instanceof PowSeal seal)) {
            throw new IllegalArgumentException("header at height " + header.height() + " has no proof-of-work seal");
        }
        return seal.bits();
    }
}
