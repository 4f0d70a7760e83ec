package io.maaschain.api;

import java.util.Optional;

/**
 * Whether this node can get new transactions committed now. When it cannot (its consensus halted, its disk refuses
 * writes, it is still syncing far behind the network), accepting a transaction with 202 would only leave it pending
 * forever: the API refuses it with 503 and this reason instead, and readiness says the same.
 */
@FunctionalInterface
public interface CommitAvailability {
    CommitAvailability ALWAYS = Optional::empty;

    /** Why new transactions cannot be committed now, or empty if they can. */
    Optional<String> refusal();

    /** Refuses when either this or {@code other} refuses (this one's reason first). */
    default CommitAvailability and(CommitAvailability other) {
        return () -> refusal().or(other::refusal);
    }
}
