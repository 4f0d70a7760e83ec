package io.maaschain.state;

import io.maaschain.ledger.tx.Transaction;
import java.util.List;

/**
 * How the state transition learns whether a signature is valid. The node passes a check that remembers
 * signatures it already verified (in the mempool, or in parallel before execution); the result is the same.
 */
@FunctionalInterface
public interface SignatureCheck {
    SignatureCheck VERIFY = Transaction::hasValidSignature;

    boolean isValid(Transaction tx);

    /**
     * Checks many transactions' signatures ahead of their {@link #isValid} calls, which then cost little: a check
     * that remembers verdicts verifies them in batches on all cores. The verdicts are the same either way.
     */
    default void checkAhead(List<Transaction> txs) {}
}
