package io.maaschain.maas.receipt;

import io.maaschain.chain.Blockchain;
import io.maaschain.chain.TxLocation;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.merkle.InclusionProof;
import io.maaschain.ledger.merkle.MerkleTree;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.txpool.TxPool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds {@link ReceiptEvidence} for a receipt of this node's log from the batch records, the chain and the pool. */
public final class ReceiptProofs {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptProofs.class);
    private static final int CACHED_BATCHES = 8;

    private final ReceiptLog log;
    private final Blockchain chain;
    private final TxPool pool;
    /** Receipt ids of recently proven batches, keyed by tx hash: one proof request reads a whole batch. */
    private final Map<Hash, List<Hash>> idsByBatch = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Hash, List<Hash>> eldest) {
            return size() > CACHED_BATCHES;
        }
    };

    public ReceiptProofs(ReceiptLog log, Blockchain chain, TxPool pool) {
        this.log = log;
        this.chain = chain;
        this.pool = pool;
    }

    public Optional<ReceiptEvidence> evidence(Hash id) {
        return log.get(id).map(this::evidence);
    }

    public Optional<ReceiptEvidence> evidence(long seq) {
        return log.get(seq).map(this::evidence);
    }

    private ReceiptEvidence evidence(ReceiptLog.Stored stored) {
        SignedReceipt receipt = stored.receipt();
        long seq = receipt.receipt().seq();
        Optional<BatchRecord> batch = log.batchOf(seq);
        if (batch.isEmpty()) return new ReceiptEvidence(receipt, ReceiptEvidence.UNSETTLED, null, null);
        BatchRecord b = batch.get();
        List<Hash> ids = ids(b);
        if (ids == null) return new ReceiptEvidence(receipt, ReceiptEvidence.UNSETTLED, null, null);
        InclusionProof proof = MerkleTree.prove(ids, (int) (seq - b.firstSeq()));
        ReceiptEvidence.Batch eb = new ReceiptEvidence.Batch(b.firstSeq(), b.lastSeq(), b.receiptsRoot(), b.txHash(), proof);
        Optional<TxLocation> loc = chain.index().transaction(b.txHash());
        if (loc.isEmpty()) {
            String status = pool.get(b.txHash()).isPresent() ? ReceiptEvidence.PENDING : ReceiptEvidence.UNSETTLED;
            return new ReceiptEvidence(receipt, status, eb, null);
        }
        Block block = chain.index().block(loc.get().blockHash());
        List<Hash> txHashes = block.transactions().stream().map(Transaction::hash).toList();
        Transaction tx = block.transactions().get(loc.get().index());
        ReceiptEvidence.Settlement s = new ReceiptEvidence.Settlement(tx.encoded(), block.hash(), block.height(), loc.get().index(),
                chain.head().height() - block.height() + 1, MerkleTree.prove(txHashes, loc.get().index()), HeaderCodec.encode(block.header()));
        return new ReceiptEvidence(receipt, ReceiptEvidence.SETTLED, eb, s);
    }

    /** The ids of the batch's receipts in order, or null if the log cannot reproduce the batch's root. */
    private List<Hash> ids(BatchRecord b) {
        synchronized (idsByBatch) {
            List<Hash> cached = idsByBatch.get(b.txHash());
            if (cached != null) return cached;
        }
        List<Hash> ids = log.range(b.firstSeq(), b.lastSeq() + 1).stream().map(s -> s.receipt().id()).toList();
        if (ids.size() != b.size() || !MerkleTree.root(ids).equals(b.receiptsRoot())) {
            LOG.error("ALERT: the local log does not reproduce the root {} of batch {}..{}", b.receiptsRoot(), b.firstSeq(), b.lastSeq());
            return null;
        }
        synchronized (idsByBatch) {
            idsByBatch.put(b.txHash(), ids);
        }
        return ids;
    }

    /** The batch payload of a committed batch tx, for callers that want the charges. */
    public Optional<ReceiptBatch> committedBatch(Hash txHash) {
        return chain.index().transaction(txHash).map(loc -> chain.index().block(loc.blockHash()).transactions().get(loc.index()))
                .map(Transaction::payload).filter(p -> p instanceof ReceiptBatch).map(p -> (ReceiptBatch) p);
    }
}
