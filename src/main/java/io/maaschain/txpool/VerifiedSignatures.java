package io.maaschain.txpool;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.SignatureBatch;
import io.maaschain.crypto.SignedMessage;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.state.SignatureCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Remembers which transactions' signatures verified, so a transaction is checked once on admission and not
 * again when its block executes. Many at once are verified in batches of {@value #BATCH} ({@link SignatureBatch},
 * about half the cost of single verifications), the batches in parallel. Bounded: the oldest verdicts are
 * forgotten first (and simply re-checked). Keyed by the transaction hash, which covers the signature bytes, so a
 * verdict cannot be borrowed; a verdict is a pure function of those bytes, so a rejection is remembered too.
 */
public final class VerifiedSignatures implements SignatureCheck {
    /** Large enough that the batch's shared work is spread thin, small enough to split a pool batch across cores. */
    static final int BATCH = 64;

    private final int capacity;
    private final ConcurrentHashMap<Hash, Boolean> verdicts = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Hash> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    public VerifiedSignatures(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public boolean isValid(Transaction tx) {
        Boolean known = verdicts.get(tx.hash());
        if (known != null) return known;
        boolean valid = tx.hasValidSignature();
        remember(tx.hash(), valid);
        return valid;
    }

    @Override
    public void checkAhead(List<Transaction> txs) {
        List<Transaction> unknown = new ArrayList<>(txs.size());
        for (Transaction tx : txs) if (!verdicts.containsKey(tx.hash())) unknown.add(tx);
        int batches = (unknown.size() + BATCH - 1) / BATCH;
        IntStream.range(0, batches).parallel().forEach(b -> {
            List<Transaction> part = unknown.subList(b * BATCH, Math.min(unknown.size(), (b + 1) * BATCH));
            List<SignedMessage> messages = new ArrayList<>(part.size());
            for (Transaction tx : part) messages.add(tx.signedMessage());
            boolean[] valid = SignatureBatch.verify(messages);
            for (int i = 0; i < part.size(); i++) remember(part.get(i).hash(), valid[i]);
        });
    }

    private void remember(Hash hash, boolean valid) {
        if (verdicts.putIfAbsent(hash, valid) != null) return;
        order.add(hash);
        if (size.incrementAndGet() > capacity) {
            Hash oldest = order.poll();
            if (oldest != null) {
                verdicts.remove(oldest);
                size.decrementAndGet();
            }
        }
    }
}
