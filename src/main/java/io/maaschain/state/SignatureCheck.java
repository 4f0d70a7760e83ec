package io.maaschain.state;

import io.maaschain.ledger.tx.Transaction;

/**
 * How the state transition learns whether a signature is valid. The node passes a check that remembers
 * signatures it already verified (in the mempool, or in parallel before execution); the result is the same.
 */
@FunctionalInterface
public interface SignatureCheck {
    SignatureCheck VERIFY = Transaction::hasValidSignature;

    boolean isValid(Transaction tx);
}
