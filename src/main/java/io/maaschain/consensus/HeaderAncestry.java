package io.maaschain.consensus;

import io.maaschain.ledger.block.Header;

/** The headers of one branch, looked up by height. Engines read retarget windows and schedules from it. */
@FunctionalInterface
public interface HeaderAncestry {
    /** The header at {@code height} on this branch; heights above the branch tip are an error. */
    Header headerAt(long height);
}
