package io.maaschain.maas.receipt;

import io.maaschain.chain.Blockchain;
import io.maaschain.chain.ChainListener;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.merkle.MerkleTree;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.state.MarketRecords;
import io.maaschain.state.SignatureCheck;
import io.maaschain.state.StateReader;
import io.maaschain.state.WorldState;
import io.maaschain.txpool.TxPool;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles this node's receipts on chain. Periodically (every {@code intervalMillis}, or as soon as
 * {@code triggerReceipts} are waiting) it takes the receipts from the chain's settlement cursor for this host
 * ({@code Settlement.nextSeq}, read from the head state) onward, builds a {@link ReceiptBatch} (root of their ids,
 * charges per caller and model version), signs it with the node key and submits it to the local pool.
 *
 * <p>Only synced receipts are settled ({@link ReceiptLog#sync()} before every batch). Numbers a machine crash left as a
 * gap ({@link ReceiptLog#gaps()}) are settled by a batch of their own with the all-zero root {@link #GAP_ROOT} and no
 * charges, so the cursor can move past them and the gap shows on chain.
 *
 * <p>The chain's cursor is the single source of truth: a batch always starts at the cursor and the chain refuses any
 * other start, so no receipt is ever charged twice, whatever this service does or forgets across restarts. One batch
 * is in flight at a time. On head changes it records which batches committed (so proofs can be built) and, when a
 * batch was dropped (reorg, eviction, restart) or can no longer apply, it submits a replacement at the same nonce.
 */
public final class ReceiptBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptBatcher.class);
    /** The receipts root of a batch that settles a gap: no receipt has these numbers, so the root is all zeros. */
    public static final Hash GAP_ROOT = Hash.ZERO;

    /**
     * @param intervalMillis  settle at least this often while receipts wait
     * @param triggerReceipts settle as soon as this many receipts wait
     * @param maxBatchReceipts at most this many receipts per batch
     * @param fee             transaction fee to offer; 0 means the chain's minimum
     * @param pollMillis      how often the service checks
     */
    public record Config(long intervalMillis, int triggerReceipts, int maxBatchReceipts, long fee, long pollMillis) {
        public static final Config DEFAULT = new Config(2_000, 500, 10_000, 0, 250);

        public Config {
            if (intervalMillis < 0 || triggerReceipts < 1 || maxBatchReceipts < 1 || fee < 0 || pollMillis < 1) {
                throw new IllegalArgumentException("batcher settings must be positive");
            }
        }
    }

    /** What one {@link #tick} did. */
    public enum Outcome { IDLE, WAITING, SUBMITTED, REPLACED, FAILED }

    private final Blockchain chain;
    private final TxPool pool;
    private final ReceiptLog log;
    private final KeyPair nodeKey;
    private final Address node;
    private final Config config;
    private final LongSupplier clock;
    /** Our batch (or cancel) transactions submitted and not yet below the account nonce, by nonce. */
    private final TreeMap<Long, Submitted> submitted = new TreeMap<>();
    private long lastBatchMillis;
    private long lastWarnMillis = Long.MIN_VALUE / 2;
    private volatile ScheduledExecutorService executor;
    private ChainListener listener;

    private record Submitted(Transaction tx, BatchRecord batch) {}

    public ReceiptBatcher(Blockchain chain, TxPool pool, ReceiptLog log, Config config, LongSupplier clock) {
        this.chain = chain;
        this.pool = pool;
        this.log = log;
        this.nodeKey = log.nodeKey();
        this.node = nodeKey.address();
        this.config = Objects.requireNonNull(config, "config");
        this.clock = clock;
        this.lastBatchMillis = clock.getAsLong();
    }

    /** Starts the periodic check on its own thread and listens for head changes. */
    public synchronized ReceiptBatcher start() {
        if (executor != null) return this;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "receipt-batcher");
            t.setDaemon(true);
            return t;
        });
        listener = (removed, added, head) -> {
            ScheduledExecutorService ex = executor;
            if (ex != null && !ex.isShutdown()) ex.execute(() -> safely(() -> onHeadChanged(removed, added)));
        };
        chain.addListener(listener);
        executor.scheduleWithFixedDelay(() -> safely(this::tick), 0, config.pollMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("receipt batcher step failed", e);
        }
    }

    /** The chain's settlement cursor for this node: every receipt below it is settled. */
    public static long cursor(StateReader state, Address host) {
        byte[] b = state.get(MarketRecords.settlementKey(host));
        return b == null ? 0 : MarketRecords.Settlement.decode(b).nextSeq();
    }

    public long settledCursor() {
        return cursor(chain.headState(), node);
    }

    /** One step: reconcile with the chain and the pool, then submit a batch if one is due. Safe to call at any time. */
    public synchronized Outcome tick() {
        StateReader state = chain.headState();
        long cursor = cursor(state, node);
        if (cursor > log.nextSeq()) log.skipTo(cursor);
        // Only synced receipts are settled: a batch on chain never names a receipt a machine crash could take back.
        long end = log.sync();
        long accountNonce = new WorldState(state).account(node).nonce();
        long now = clock.getAsLong();
        submitted.headMap(accountNonce).clear();

        Submitted next = submitted.get(accountNonce);
        if (next != null && pool.get(next.tx.hash()).isEmpty()) {
            if (chain.index().transaction(next.tx.hash()).isPresent()) return Outcome.WAITING;
            LOG.info("batch tx {} (receipts {}..{}) left the pool without committing; replacing it", next.tx.hash(),
                    next.batch.firstSeq(), next.batch.lastSeq());
            submitted.remove(accountNonce);
            next = null;
        }
        if (next != null) {
            Rejection r = dryRun(next.tx, state);
            if (r == null || headMovedOn(r)) return Outcome.WAITING;
            LOG.info("batch tx {} can no longer apply ({}: {}); replacing it at nonce {}", next.tx.hash(), r.code(), r.getMessage(), accountNonce);
            return submit(cursor, end, accountNonce, bumpedFee(next.tx.fee()), boundBefore(accountNonce), now, true);
        }
        Optional<Transaction> foreign = pool.pendingAt(node, accountNonce);
        if (foreign.isPresent()) {
            // Something else of ours applies first (a transaction sent with the node key, or an old batch a reorg put back);
            // one that cannot apply at the account nonce would hold every later batch forever, so a batch replaces it.
            Rejection r = dryRun(foreign.get(), state);
            if (r == null || headMovedOn(r)) return Outcome.WAITING;
            warn(now, "pending tx " + foreign.get().hash() + " of the node key cannot apply at nonce " + accountNonce + " (" + r.code()
                    + ": " + r.getMessage() + "); replacing it so that receipt settlement goes on");
            return submit(cursor, end, accountNonce, bumpedFee(foreign.get().fee()), boundBefore(accountNonce), now, true);
        }
        if (!submitted.isEmpty()) {
            // A gap at the account nonce before batches already in the pool: fill it so they can apply.
            return submit(cursor, end, accountNonce, fee(), boundBefore(accountNonce), now, false);
        }
        if (end <= cursor) return Outcome.IDLE;
        boolean due = end - cursor >= config.triggerReceipts() || now - lastBatchMillis >= config.intervalMillis();
        if (!due) return Outcome.WAITING;
        return submit(cursor, end, accountNonce, fee(), Long.MAX_VALUE, now, false);
    }

    /**
     * The head state is read live: a block that lands during this step can commit the very transaction being checked,
     * which then reads as a nonce already used. The next step sees the new head; nothing needs replacing.
     */
    private static boolean headMovedOn(Rejection r) {
        return r.code() == RejectCode.NONCE_TOO_LOW;
    }

    /** A filler must end before the next batch we already have in the pool, if that one follows at the next nonce. */
    private long boundBefore(long nonce) {
        Submitted following = submitted.get(nonce + 1);
        return following == null || following.batch == null ? Long.MAX_VALUE : following.batch.firstSeq();
    }

    private long fee() {
        return config.fee() > 0 ? config.fee() : chain.transition().params().minTxFee();
    }

    private long bumpedFee(long old) {
        return Math.max(fee(), old + Math.max(1, old / 10));
    }

    private Outcome submit(long cursor, long end, long nonce, long fee, long before, long now, boolean replacing) {
        long to = Math.min(end, before);
        Transaction tx;
        BatchRecord record = null;
        long chainId = chain.transition().params().chainId();
        if (to > cursor) {
            long stop = Math.min(to, cursor + config.maxBatchReceipts());
            Optional<ReceiptLog.Gap> gap = log.gapAt(cursor);
            ReceiptBatch payload;
            if (gap.isPresent()) {
                // Numbers a machine crash may have taken (docs/receipts.md): settled as a gap, with no root and no charge.
                payload = gapBatch(cursor, Math.min(stop, gap.get().end()) - 1);
            } else {
                List<SignedReceipt> receipts = log.range(cursor, stop).stream().map(ReceiptLog.Stored::receipt).toList();
                BatchBuilder.Built built = BatchBuilder.build(receipts, config.maxBatchReceipts());
                if (built == null) {
                    warn(now, "receipt " + cursor + " is missing from the local log; cannot settle");
                    return Outcome.FAILED;
                }
                payload = built.batch();
            }
            tx = new UnsignedTransaction(chainId, nodeKey.publicKey(), nonce, fee, payload).sign(nodeKey);
            record = new BatchRecord(payload.firstSeq(), payload.lastSeq(), payload.receiptsRoot(), tx.hash(), nonce, fee, now);
        } else if (replacing || !submitted.isEmpty()) {
            // Nothing left to settle but a stale transaction holds this nonce: cancel it with a 1-coin transfer to ourselves.
            tx = new UnsignedTransaction(chainId, nodeKey.publicKey(), nonce, fee, new Transfer(node, 1)).sign(nodeKey);
        } else {
            return Outcome.IDLE;
        }
        Rejection dry = dryRun(tx, chain.headState());
        if (dry != null && dry.code() != RejectCode.NONCE_TOO_HIGH) {
            warn(now, "a batch of receipts " + cursor + ".." + (to - 1) + " would not apply: " + dry.code() + ": " + dry.getMessage());
            return Outcome.FAILED;
        }
        try {
            pool.add(tx, chain.headState());
        } catch (Rejection r) {
            if (!replacing && r.code() == RejectCode.DUPLICATE && pool.pendingAt(node, nonce).isPresent()) {
                // Another transaction of the node key (the dev bootstrap's, an operator's) took this nonce since the
                // check above; the next step sees it and waits for it, or replaces it if it cannot apply.
                LOG.info("nonce {} of the node key was taken by another transaction meanwhile; the batch waits for it", nonce);
                return Outcome.WAITING;
            }
            warn(now, "the pool refused batch tx " + tx.hash() + ": " + r.code() + ": " + r.getMessage());
            return Outcome.FAILED;
        }
        if (record != null) log.putBatch(record);
        submitted.put(nonce, new Submitted(tx, record));
        lastBatchMillis = now;
        if (record != null) {
            LOG.info("submitted receipt batch {}..{} ({} receipts, {} charges) in tx {} nonce {}", record.firstSeq(), record.lastSeq(),
                    record.size(), ((ReceiptBatch) tx.payload()).charges().size(), tx.hash(), nonce);
        } else {
            LOG.info("cancelled a stale batch transaction at nonce {} with tx {}", nonce, tx.hash());
        }
        return replacing ? Outcome.REPLACED : Outcome.SUBMITTED;
    }

    /** The batch that settles numbers {@code first..last} of a gap: no receipt carries them, so nothing is charged. */
    static ReceiptBatch gapBatch(long first, long last) {
        return new ReceiptBatch(first, last, GAP_ROOT, List.of());
    }

    /** Whether {@code b} settles numbers of a gap this log recorded (and nothing else). */
    private boolean isGapBatch(ReceiptBatch b) {
        return b.receiptsRoot().equals(GAP_ROOT) && b.charges().isEmpty()
                && log.gapAt(b.firstSeq()).filter(g -> g.end() > b.lastSeq()).isPresent();
    }

    private Rejection dryRun(Transaction tx, StateReader state) {
        try {
            chain.transition().applyTransaction(new WorldState(state), tx, chain.head().height() + 1, SignatureCheck.VERIFY);
            return null;
        } catch (Rejection r) {
            return r;
        }
    }

    private void warn(long now, String message) {
        if (now - lastWarnMillis >= 30_000) {
            LOG.warn("{}", message);
            lastWarnMillis = now;
        } else {
            LOG.debug("{}", message);
        }
    }

    /** Records the batches of this node that blocks committed, so receipts can be proven against them. */
    public synchronized void onHeadChanged(List<Block> removed, List<Block> added) {
        for (Block b : added) {
            for (Transaction tx : b.transactions()) {
                if (!tx.sender().equals(node) || !(tx.payload() instanceof ReceiptBatch batch)) continue;
                recordCommitted(tx, batch);
            }
        }
        tick();
    }

    private void recordCommitted(Transaction tx, ReceiptBatch batch) {
        var known = log.batchAt(batch.firstSeq());
        if (known.isPresent() && known.get().txHash().equals(tx.hash()) && known.get().lastSeq() == batch.lastSeq()) return;
        if (isGapBatch(batch)) {
            LOG.info("gap batch tx {} settled numbers {}..{}, which a machine crash left without receipts", tx.hash(), batch.firstSeq(), batch.lastSeq());
            log.putBatch(new BatchRecord(batch.firstSeq(), batch.lastSeq(), batch.receiptsRoot(), tx.hash(), tx.nonce(), tx.fee(), clock.getAsLong()));
            return;
        }
        List<ReceiptLog.Stored> receipts = log.range(batch.firstSeq(), batch.lastSeq() + 1);
        if (receipts.size() == batch.receiptCount()) {
            Hash root = MerkleTree.root(receipts.stream().map(s -> s.receipt().id()).toList());
            if (!root.equals(batch.receiptsRoot())) {
                LOG.error("ALERT: committed batch tx {} settles receipts {}..{} under root {}, but the local log gives {}",
                        tx.hash(), batch.firstSeq(), batch.lastSeq(), batch.receiptsRoot(), root);
            }
        } else {
            LOG.error("ALERT: committed batch tx {} settles receipts {}..{}, of which the local log holds only {}",
                    tx.hash(), batch.firstSeq(), batch.lastSeq(), receipts.size());
        }
        log.putBatch(new BatchRecord(batch.firstSeq(), batch.lastSeq(), batch.receiptsRoot(), tx.hash(), tx.nonce(), tx.fee(), clock.getAsLong()));
    }

    /** Batches submitted and not yet applied, by nonce (for tests and status). */
    public synchronized Map<Long, Hash> inFlight() {
        TreeMap<Long, Hash> m = new TreeMap<>();
        submitted.forEach((n, s) -> m.put(n, s.tx.hash()));
        return m;
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
