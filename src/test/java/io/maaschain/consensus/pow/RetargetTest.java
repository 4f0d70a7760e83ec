package io.maaschain.consensus.pow;

import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.consensus.MedianTimePast;
import static org.assertj.core.api.Assertions.assertThat;

import io.maaschain.ledger.block.Header;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetargetTest {
    private static final int INTERVAL = 10;
    private static final long BLOCK_MS = 1_000;
    private static final int LIMIT_BITS = 0x1f00ffff;
    private static final int START_BITS = 0x1d00ffff; // divisible by 4, well below the limit
    private static final PowParameters PARAMS = new PowParameters(LIMIT_BITS, START_BITS, BLOCK_MS, INTERVAL, false, 50);

    /** A branch of {@code n} headers, all with {@code bits}, the i-th at time {@code times[i]}. */
    private static HeaderAncestry chain(int bits, long... times) {
        List<Header> headers = new ArrayList<>();
        for (int i = 0; i < times.length; i++) headers.add(TestHeaders.header(i, i, times[i], bits, 0));
        return h -> headers.get(Math.toIntExact(h));
    }

    /** Evenly spaced blocks, {@code spacing} apart. */
    private static long[] spaced(int n, long spacing) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = 1_000_000 + i * spacing;
        return t;
    }

    private static int scaled(int bits, long num, long den) {
        return CompactTarget.encode(CompactTarget.toTarget(bits).multiply(BigInteger.valueOf(num)).divide(BigInteger.valueOf(den)));
    }

    @Test
    void genesisUsesInitialBits() {
        assertThat(Retarget.requiredBits(PARAMS, 0, h -> { throw new AssertionError("no ancestors"); })).isEqualTo(START_BITS);
    }

    @Test
    void noChangeBetweenRetargetHeights() {
        HeaderAncestry c = chain(START_BITS, spaced(30, 1)); // blocks far too fast
        for (int h = 1; h < 30; h++) {
            if (h % INTERVAL != 0) assertThat(Retarget.requiredBits(PARAMS, h, c)).isEqualTo(START_BITS);
        }
    }

    @Test
    void onScheduleKeepsTheTarget() {
        assertThat(Retarget.requiredBits(PARAMS, 2 * INTERVAL, chain(START_BITS, spaced(2 * INTERVAL, BLOCK_MS))))
                .isEqualTo(START_BITS);
    }

    @Test
    void fastBlocksHardenUpToFourTimes() {
        int twiceAsFast = Retarget.requiredBits(PARAMS, 2 * INTERVAL, chain(START_BITS, spaced(2 * INTERVAL, BLOCK_MS / 2)));
        assertThat(twiceAsFast).isEqualTo(scaled(START_BITS, 1, 2));
        int clamped = Retarget.requiredBits(PARAMS, 2 * INTERVAL, chain(START_BITS, spaced(2 * INTERVAL, BLOCK_MS / 4)));
        assertThat(clamped).isEqualTo(scaled(START_BITS, 1, 4));
        assertThat(Retarget.requiredBits(PARAMS, 2 * INTERVAL, chain(START_BITS, spaced(2 * INTERVAL, 1)))).isEqualTo(clamped);
        // Timestamps going backwards measure a negative span, which clamps the same way.
        assertThat(Retarget.requiredBits(PARAMS, 2 * INTERVAL, chain(START_BITS, spaced(2 * INTERVAL, -5)))).isEqualTo(clamped);
    }

    @Test
    void slowBlocksEaseUpToFourTimes() {
        int clamped = Retarget.requiredBits(PARAMS, 2 * INTERVAL, chain(START_BITS, spaced(2 * INTERVAL, BLOCK_MS * 4)));
        assertThat(clamped).isEqualTo(scaled(START_BITS, 4, 1));
        assertThat(Retarget.requiredBits(PARAMS, 2 * INTERVAL, chain(START_BITS, spaced(2 * INTERVAL, BLOCK_MS * 100))))
                .isEqualTo(clamped);
    }

    @Test
    void easingStopsAtThePowLimit() {
        int nearLimit = CompactTarget.encode(CompactTarget.toTarget(LIMIT_BITS).divide(BigInteger.TWO));
        int next = Retarget.requiredBits(PARAMS, 2 * INTERVAL, chain(nearLimit, spaced(2 * INTERVAL, BLOCK_MS * 4)));
        assertThat(next).isEqualTo(LIMIT_BITS);
    }

    @Test
    void noRetargetingKeepsTheParentBits() {
        PowParameters regtest = new PowParameters(LIMIT_BITS, START_BITS, BLOCK_MS, INTERVAL, true, 50);
        assertThat(Retarget.requiredBits(regtest, 2 * INTERVAL, chain(START_BITS, spaced(2 * INTERVAL, 1)))).isEqualTo(START_BITS);
    }

    @Test
    void windowRunsFromThePreviousPeriodsLastBlockToTheParent() {
        int h = 2 * INTERVAL;
        long[] times = spaced(h, BLOCK_MS);
        // Bitcoin would start at h - INTERVAL; here that block is inside the window and does not matter.
        times[h - INTERVAL] += 123_456;
        assertThat(Retarget.requiredBits(PARAMS, h, chain(START_BITS, times))).isEqualTo(START_BITS);
        // The window starts at h - 1 - INTERVAL: moving it back makes the period look twice as slow.
        times = spaced(h, BLOCK_MS);
        times[h - 1 - INTERVAL] -= INTERVAL * BLOCK_MS;
        assertThat(Retarget.requiredBits(PARAMS, h, chain(START_BITS, times))).isEqualTo(scaled(START_BITS, 2, 1));
    }

    @Test
    void firstWindowStartsAtGenesisWithOneGapFewer() {
        long[] times = spaced(INTERVAL, BLOCK_MS); // INTERVAL - 1 gaps, all on schedule
        assertThat(Retarget.requiredBits(PARAMS, INTERVAL, chain(START_BITS, times))).isEqualTo(START_BITS);
    }

    @Test
    void medianTimePast() {
        assertThat(MedianTimePast.of(5, 1, 9, 3, 7, 11, 2, 10, 4, 8, 6)).isEqualTo(6);
        assertThat(MedianTimePast.of(4, 1, 3, 2)).isEqualTo(3); // upper middle, as Bitcoin
        assertThat(MedianTimePast.of(42)).isEqualTo(42);
        HeaderAncestry c = chain(START_BITS, 100, 50, 300, 200, 400, 150, 600, 700, 800, 900, 1000, 1100, 5);
        // Heights 2..12: 300 200 400 150 600 700 800 900 1000 1100 5 -> sorted middle is 600.
        assertThat(MedianTimePast.of(12, c)).isEqualTo(600);
        assertThat(MedianTimePast.of(1, c)).isEqualTo(100);
    }
}
