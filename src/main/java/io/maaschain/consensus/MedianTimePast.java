package io.maaschain.consensus;

import java.util.Arrays;

/** Bitcoin's median time past, the engine-neutral lower bound on a block's timestamp. */
public final class MedianTimePast {
    public static final int MEDIAN_TIME_SPAN = 11;

    private MedianTimePast() {}

    /** Bitcoin's median time past: the middle of the sorted timestamps (upper middle for an even count). */
    public static long of(long... timestamps) {
        if (timestamps.length == 0) throw new IllegalArgumentException("no timestamps");
        if (timestamps.length > MEDIAN_TIME_SPAN) {
            throw new IllegalArgumentException("at most " + MEDIAN_TIME_SPAN + " timestamps, got " + timestamps.length);
        }
        long[] sorted = timestamps.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Median time past of the block at {@code tipHeight} and up to ten ancestors (fewer near genesis). */
    public static long of(long tipHeight, HeaderAncestry chain) {
        if (tipHeight < 0) throw new IllegalArgumentException("negative height " + tipHeight);
        int n = (int) Math.min(MEDIAN_TIME_SPAN, tipHeight + 1);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) times[i] = chain.headerAt(tipHeight - i).timestampMillis();
        return of(times);
    }

}
