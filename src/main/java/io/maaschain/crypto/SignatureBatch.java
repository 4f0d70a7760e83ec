package io.maaschain.crypto;

import java.util.Arrays;
import java.util.List;

/**
 * Verifies many Ed25519 signatures together, with the verdicts that {@link PublicKey#verify} gives one by one.
 *
 * <p>A batch of valid signatures is accepted by one combined check ({@link Ed25519BatchCheck}), which costs about
 * half of verifying them singly. When the combined check fails, the batch is split in halves and each half is
 * checked again, down to {@value #SINGLE_BELOW} signatures, which are verified singly: a batch with one bad
 * signature costs little more than a valid one, and a batch of nothing but bad signatures about twice the
 * single verifications. Whatever the combined checks say, every false verdict comes from a single
 * verification, and a true verdict from a combined check is wrong with probability at most 2^-127.
 */
public final class SignatureBatch {
    /** Ranges smaller than this are verified one by one (the combined check's fixed cost is not worth it). */
    static final int SINGLE_BELOW = 8;

    private SignatureBatch() {}

    /** The verdict for each item, in order. Deterministic: no randomness, the same items give the same work. */
    public static boolean[] verify(List<SignedMessage> items) {
        boolean[] verdicts = new boolean[items.size()];
        verifyRange(items, 0, items.size(), verdicts);
        return verdicts;
    }

    private static void verifyRange(List<SignedMessage> items, int from, int to, boolean[] verdicts) {
        if (to - from < SINGLE_BELOW) {
            for (int i = from; i < to; i++) verdicts[i] = items.get(i).verify();
        } else if (Ed25519BatchCheck.holds(items.subList(from, to))) {
            Arrays.fill(verdicts, from, to, true);
        } else {
            int middle = (from + to) >>> 1;
            verifyRange(items, from, middle, verdicts);
            verifyRange(items, middle, to, verdicts);
        }
    }
}
