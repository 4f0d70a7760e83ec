package io.maaschain.txpool;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.state.Account;
import io.maaschain.state.CachingStateReader;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateReader;
import io.maaschain.state.StateTransition;
import io.maaschain.state.WorldState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Pending transactions. Admission checks size, chain id, fee floor, that the chain's engine accepts the payload kind
 * ({@link StateTransition#checkStateless}, the rule blocks are validated by), signature, nonce window and the sender's
 * balance against everything it already has pending. The pool is bounded; when full, a higher-fee transaction
 * evicts the cheapest one. Selection is by fee, keeping each sender's nonces in order.
 */
public final class TxPool {
    public record Limits(int maxTransactions, int maxPerSender, long maxNonceGap) {
        public static final Limits DEFAULT = new Limits(200_000, 10_000, 10_000);
    }

    private static final Comparator<Transaction> CHEAPEST_FIRST =
            Comparator.comparingLong(Transaction::fee).thenComparing(Transaction::hash);

    private final StateTransition transition;
    private final SignatureCheck signatures;
    private final Limits limits;
    private final Map<Hash, Transaction> byHash = new HashMap<>();
    private final Map<Address, TreeMap<Long, Transaction>> bySender = new HashMap<>();
    private final TreeSet<Transaction> byFee = new TreeSet<>(CHEAPEST_FIRST);
    private final List<Consumer<Transaction>> listeners = new CopyOnWriteArrayList<>();

    public TxPool(StateTransition transition, SignatureCheck signatures, Limits limits) {
        this.transition = transition;
        this.signatures = signatures;
        this.limits = limits;
    }

    /** Told of every newly admitted transaction, outside the pool's lock (the p2p layer gossips them). */
    public void addListener(Consumer<Transaction> listener) {
        listeners.add(listener);
    }

    /** Admits one transaction or says why not; nothing changes on rejection. */
    public Hash add(Transaction tx, StateReader state) throws Rejection {
        transition.checkStateless(tx, signatures);
        Hash hash;
        synchronized (this) {
            hash = admit(tx, state);
        }
        announce(tx);
        return hash;
    }

    private void announce(Transaction tx) {
        for (Consumer<Transaction> l : listeners) l.accept(tx);
    }

    /** Admits many: signatures are checked in parallel batches first, then each is admitted in order. */
    public List<Result> addAll(List<Transaction> txs, StateReader state) {
        signatures.checkAhead(txs);
        List<Rejection> stateless = txs.parallelStream().map(tx -> {
            try {
                transition.checkStateless(tx, signatures);
                return (Rejection) null;
            } catch (Rejection r) {
                return r;
            }
        }).toList();
        List<Result> results = new ArrayList<>(txs.size());
        synchronized (this) {
            // A batch often holds several transactions per sender: read each account once.
            StateReader snapshot = new CachingStateReader(state);
            for (int i = 0; i < txs.size(); i++) {
                Transaction tx = txs.get(i);
                if (stateless.get(i) != null) {
                    results.add(new Result(tx.hash(), stateless.get(i)));
                    continue;
                }
                try {
                    admit(tx, snapshot);
                    results.add(new Result(tx.hash(), null));
                } catch (Rejection r) {
                    results.add(new Result(tx.hash(), r));
                }
            }
        }
        if (!listeners.isEmpty()) {
            for (int i = 0; i < txs.size(); i++) if (results.get(i).rejection() == null) announce(txs.get(i));
        }
        return results;
    }

    /** The outcome for one transaction of a batch: {@code rejection} is null when it was admitted. */
    public record Result(Hash hash, Rejection rejection) {}

    private Hash admit(Transaction tx, StateReader state) throws Rejection {
        if (byHash.containsKey(tx.hash())) throw new Rejection(RejectCode.DUPLICATE, "transaction " + tx.hash() + " is already pending");
        StateTransition.checkPermission(state, tx);
        Account account = new WorldState(state).account(tx.sender());
        if (tx.nonce() < account.nonce()) {
            throw new Rejection(RejectCode.NONCE_TOO_LOW, "nonce " + tx.nonce() + " already used; next is " + account.nonce());
        }
        if (tx.nonce() > account.nonce() + limits.maxNonceGap()) {
            throw new Rejection(RejectCode.NONCE_TOO_HIGH, "nonce " + tx.nonce() + " is more than " + limits.maxNonceGap() + " ahead of " + account.nonce());
        }
        TreeMap<Long, Transaction> pending = bySender.getOrDefault(tx.sender(), new TreeMap<>());
        Transaction replaced = pending.get(tx.nonce());
        if (replaced != null && tx.fee() < replaced.fee() + Math.max(1, replaced.fee() / 10)) {
            throw new Rejection(RejectCode.DUPLICATE, "nonce " + tx.nonce() + " is already pending with fee " + replaced.fee()
                    + "; a replacement must pay at least 10% more");
        }
        if (replaced == null && pending.size() >= limits.maxPerSender()) {
            throw new Rejection(RejectCode.MEMPOOL_FULL, "sender already has " + pending.size() + " pending transactions");
        }
        long committed = 0;
        for (Transaction p : pending.values()) if (p != replaced) committed = saturatingAdd(committed, cost(p));
        long total = saturatingAdd(committed, cost(tx));
        if (total > account.balance()) {
            throw new Rejection(RejectCode.INSUFFICIENT_BALANCE, "balance " + account.balance() + " does not cover this transaction ("
                    + cost(tx) + ") plus the sender's pending ones (" + committed + ")");
        }
        if (replaced == null && byHash.size() >= limits.maxTransactions()) {
            Transaction cheapest = byFee.first();
            if (cheapest.fee() >= tx.fee()) {
                throw new Rejection(RejectCode.MEMPOOL_FULL, "pool is full and its cheapest transaction pays " + cheapest.fee());
            }
            evictHighestNonceOf(cheapest.sender());
        }
        if (replaced != null) remove(replaced);
        byHash.put(tx.hash(), tx);
        bySender.computeIfAbsent(tx.sender(), a -> new TreeMap<>()).put(tx.nonce(), tx);
        byFee.add(tx);
        return tx.hash();
    }

    /** Evicting a sender's last nonce never strands its earlier transactions behind a gap. */
    private void evictHighestNonceOf(Address sender) {
        remove(bySender.get(sender).lastEntry().getValue());
    }

    private static long cost(Transaction tx) {
        return saturatingAdd(tx.fee(), tx.payload().amountSent());
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    private void remove(Transaction tx) {
        byHash.remove(tx.hash());
        byFee.remove(tx);
        TreeMap<Long, Transaction> pending = bySender.get(tx.sender());
        if (pending != null) {
            pending.remove(tx.nonce());
            if (pending.isEmpty()) bySender.remove(tx.sender());
        }
    }

    /**
     * Up to {@code max} transactions that can execute in order on {@code state}: highest fee first, but never
     * a sender's nonce before its predecessor.
     */
    public synchronized List<Transaction> select(int max, StateReader state) {
        record Cursor(Address sender, Transaction next) {}
        WorldState view = new WorldState(state);
        PriorityQueue<Cursor> ready = new PriorityQueue<>(
                Comparator.comparingLong((Cursor c) -> c.next.fee()).reversed().thenComparing(c -> c.next.hash()));
        for (var e : bySender.entrySet()) {
            Transaction first = e.getValue().get(view.account(e.getKey()).nonce());
            if (first != null) ready.add(new Cursor(e.getKey(), first));
        }
        List<Transaction> out = new ArrayList<>(Math.min(max, byHash.size()));
        while (out.size() < max && !ready.isEmpty()) {
            Cursor c = ready.poll();
            out.add(c.next);
            Transaction following = bySender.get(c.sender).get(c.next.nonce() + 1);
            if (following != null) ready.add(new Cursor(c.sender, following));
        }
        return out;
    }

    /** Drops what the new blocks included or made stale, and takes back what a reorg removed. */
    public void onHeadChanged(List<Block> removed, List<Block> added, StateReader state) {
        Set<Hash> nowIncluded = new HashSet<>();
        for (Block b : added) for (Transaction tx : b.transactions()) nowIncluded.add(tx.hash());
        synchronized (this) {
            Set<Address> touched = new HashSet<>();
            for (Block b : added) {
                for (Transaction tx : b.transactions()) {
                    Transaction pending = byHash.get(tx.hash());
                    if (pending != null) remove(pending);
                    touched.add(tx.sender());
                }
            }
            WorldState view = new WorldState(state);
            for (Address sender : touched) {
                TreeMap<Long, Transaction> pending = bySender.get(sender);
                if (pending == null) continue;
                long next = view.account(sender).nonce();
                for (Transaction stale : List.copyOf(pending.headMap(next).values())) remove(stale);
            }
            for (Block b : removed) {
                for (Transaction tx : b.transactions()) {
                    if (nowIncluded.contains(tx.hash())) continue;
                    try {
                        admit(tx, state);
                    } catch (Rejection ignored) {
                        // No longer valid on the new branch (spent balance, used nonce): it is dropped.
                    }
                }
            }
        }
    }

    public synchronized int size() {
        return byHash.size();
    }

    public synchronized Optional<Transaction> get(Hash hash) {
        return Optional.ofNullable(byHash.get(hash));
    }

    /** The pending transaction of {@code sender} at {@code nonce}, if any. */
    public synchronized Optional<Transaction> pendingAt(Address sender, long nonce) {
        TreeMap<Long, Transaction> pending = bySender.get(sender);
        return pending == null ? Optional.empty() : Optional.ofNullable(pending.get(nonce));
    }

    /** The next nonce a sender should use, counting its pending transactions. */
    public synchronized long nextNonce(Address sender, StateReader state) {
        long next = new WorldState(state).account(sender).nonce();
        TreeMap<Long, Transaction> pending = bySender.get(sender);
        if (pending == null) return next;
        while (pending.containsKey(next)) next++;
        return next;
    }
}
