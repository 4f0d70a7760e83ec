package io.maaschain.txpool;

import io.maaschain.crypto.Hash;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.state.SignatureCheck;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Remembers which transactions' signatures verified, so a transaction is checked once on admission and not
 * again when its block executes. Bounded: the oldest verdicts are forgotten first (and simply re-checked).
 * Keyed by the transaction hash, which covers the signature bytes, so a verdict cannot be borrowed.
 */
public final class VerifiedSignatures implements SignatureCheck {
    private final int capacity;
    private final ConcurrentHashMap<Hash, Boolean> verified = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Hash> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    public VerifiedSignatures(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public boolean isValid(Transaction tx) {
        if (verified.containsKey(tx.hash())) return true;
        if (!tx.hasValidSignature()) return false;
        if (verified.putIfAbsent(tx.hash(), Boolean.TRUE) == null) {
            order.add(tx.hash());
            if (size.incrementAndGet() > capacity) {
                Hash oldest = order.poll();
                if (oldest != null) {
                    verified.remove(oldest);
                    size.decrementAndGet();
                }
            }
        }
        return true;
    }
}
