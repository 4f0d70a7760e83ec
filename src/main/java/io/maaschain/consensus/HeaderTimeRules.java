package io.maaschain.consensus;

import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Header;

/**
 * The engine-neutral time rules of a header (spec.md, "Block validity"): after the median time past of its parent and
 * up to ten ancestors, and at most {@link #MAX_FUTURE_DRIFT_MILLIS} ahead of the local clock, which the caller passes
 * in. Full nodes and the light client apply this same code.
 */
public final class HeaderTimeRules {
    /** How far ahead of the local clock a block's timestamp may be. */
    public static final long MAX_FUTURE_DRIFT_MILLIS = 15_000;

    private HeaderTimeRules() {}

    /** Checks {@code h} (height >= 1) against the branch {@code ancestry} it extends and the clock reading {@code nowMillis}. */
    public static void check(Header h, HeaderAncestry ancestry, long nowMillis) throws Rejection {
        long mtp = MedianTimePast.of(h.height() - 1, ancestry);
        if (h.timestampMillis() <= mtp) {
            throw new Rejection(RejectCode.INVALID_HEADER, "timestamp " + h.timestampMillis() + " is not after the median time past " + mtp);
        }
        if (h.timestampMillis() > nowMillis + MAX_FUTURE_DRIFT_MILLIS) {
            throw new Rejection(RejectCode.INVALID_HEADER, "timestamp " + h.timestampMillis() + " is more than "
                    + MAX_FUTURE_DRIFT_MILLIS + " ms ahead of the local clock");
        }
    }
}
