package io.maaschain.state.smt;

/**
 * Sorts 256-bit keys held column-wise ({@code keys[w][i]} is word {@code w} of key {@code i}). Sorting
 * {@link io.maaschain.crypto.Hash} objects directly chases two pointers per comparison and dominated a batch's
 * set-up time. Here a merge sort carries each key's first word along with its index, so merging reads memory
 * sequentially and only keys that tie on the first 64 bits look at the other words.
 */
final class KeyOrder {
    private static final int INSERTION_SORT_MAX = 16;

    private final long[][] keys;
    private final long[] firstA;
    private final long[] firstB;
    private final int[] indexA;
    private final int[] indexB;

    private KeyOrder(long[][] keys, int n) {
        this.keys = keys;
        firstA = new long[n];
        indexA = new int[n];
        for (int i = 0; i < n; i++) {
            firstA[i] = keys[0][i] ^ Long.MIN_VALUE; // flipping the sign bit makes signed order the unsigned order
            indexA[i] = i;
        }
        firstB = firstA.clone();
        indexB = indexA.clone();
    }

    /** The permutation that lists the keys in ascending unsigned order. */
    static int[] sort(long[][] keys, int n) {
        KeyOrder s = new KeyOrder(keys, n);
        s.sort(s.firstA, s.indexA, s.firstB, s.indexB, 0, n);
        return s.indexA;
    }

    /**
     * Sorts range {@code [from, to)} into the {@code dst} arrays. On entry both array pairs hold the same entries
     * in that range; the {@code src} pair is scratch. Alternating the roles per level avoids copying back.
     */
    private void sort(long[] dstFirst, int[] dstIndex, long[] srcFirst, int[] srcIndex, int from, int to) {
        if (to - from <= INSERTION_SORT_MAX) {
            insertionSort(dstFirst, dstIndex, from, to);
            return;
        }
        int mid = (from + to) >>> 1;
        sort(srcFirst, srcIndex, dstFirst, dstIndex, from, mid);
        sort(srcFirst, srcIndex, dstFirst, dstIndex, mid, to);
        if (compare(srcFirst, srcIndex, mid - 1, srcFirst, srcIndex, mid) <= 0) {
            System.arraycopy(srcFirst, from, dstFirst, from, to - from);
            System.arraycopy(srcIndex, from, dstIndex, from, to - from);
            return;
        }
        for (int i = from, p = from, q = mid; i < to; i++) {
            boolean takeLeft = q >= to || (p < mid && compare(srcFirst, srcIndex, p, srcFirst, srcIndex, q) <= 0);
            int from1 = takeLeft ? p++ : q++;
            dstFirst[i] = srcFirst[from1];
            dstIndex[i] = srcIndex[from1];
        }
    }

    private void insertionSort(long[] first, int[] index, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            long f = first[i];
            int x = index[i];
            int j = i - 1;
            while (j >= from && compare(first[j], index[j], f, x) > 0) {
                first[j + 1] = first[j];
                index[j + 1] = index[j];
                j--;
            }
            first[j + 1] = f;
            index[j + 1] = x;
        }
    }

    private int compare(long[] firstP, int[] indexP, int p, long[] firstQ, int[] indexQ, int q) {
        return compare(firstP[p], indexP[p], firstQ[q], indexQ[q]);
    }

    private int compare(long firstI, int i, long firstJ, int j) {
        if (firstI != firstJ) return firstI < firstJ ? -1 : 1;
        for (int w = 1; w < 4; w++) {
            int c = Long.compareUnsigned(keys[w][i], keys[w][j]);
            if (c != 0) return c;
        }
        return 0;
    }
}
