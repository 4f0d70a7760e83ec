package io.maaschain.p2p;

import com.google.protobuf.ByteString;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.Head;
import io.maaschain.chain.ImportResult;
import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.RejectCode;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.BlockCodec;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.TransactionCodec;
import io.maaschain.p2p.proto.Frame;
import io.maaschain.p2p.proto.NewBlock;
import io.maaschain.p2p.proto.Transactions;
import io.maaschain.txpool.TxPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push gossip of transactions and blocks. Transactions are queued and sent in batches to every peer not known to have
 * them; a new canonical head is pushed at once as a NewBlock to peers that lack it (not while syncing, when only the
 * Status goes out). Everything received is de-duplicated by bounded caches before it reaches the pool or the chain.
 */
final class Gossip {
    private static final Logger LOG = LoggerFactory.getLogger(Gossip.class);
    static final int MAX_OUTGOING_TXS = 50_000;

    private final P2pService service;
    private final Blockchain chain;
    private final TxPool pool;
    private final SeenCache<Hash> seenTxs = new SeenCache<>(200_000);
    private final SeenCache<Hash> seenBlocks = new SeenCache<>(10_000);
    private final BlockingQueue<Transaction> outgoing = new ArrayBlockingQueue<>(MAX_OUTGOING_TXS);

    Gossip(P2pService service, Blockchain chain, TxPool pool) {
        this.service = service;
        this.chain = chain;
        this.pool = pool;
    }

    /** Queues a transaction for every peer unless it was seen already; false if it was a duplicate or the queue is full. */
    boolean announce(Transaction tx) {
        if (!seenTxs.add(tx.hash())) return false;
        if (!outgoing.offer(tx)) {
            LOG.debug("gossip queue full, not announcing transaction {}", tx.hash());
            return false;
        }
        return true;
    }

    /** Sends queued transactions in frames of up to 256, each peer getting only those it is not known to have. */
    void flush(List<PeerConnection> peers) {
        List<Transaction> batch = new ArrayList<>();
        outgoing.drainTo(batch, 8192);
        if (batch.isEmpty()) return;
        for (PeerConnection p : peers) {
            Transactions.Builder frame = Transactions.newBuilder();
            for (Transaction tx : batch) {
                if (!p.knownTxs.add(tx.hash())) continue;
                frame.addTransactions(ByteString.copyFrom(tx.encoded()));
                if (frame.getTransactionsCount() == Protocol.MAX_TXS_PER_FRAME) {
                    p.send(Frame.newBuilder().setTransactions(frame).build());
                    frame = Transactions.newBuilder();
                }
            }
            if (frame.getTransactionsCount() > 0) p.send(Frame.newBuilder().setTransactions(frame).build());
        }
    }

    void onTransactions(PeerConnection from, Transactions msg) {
        if (msg.getTransactionsCount() > Protocol.MAX_TXS_PER_FRAME) {
            service.penalize(from, Misbehavior.PROTOCOL_VIOLATION, msg.getTransactionsCount() + " transactions in one frame, limit " + Protocol.MAX_TXS_PER_FRAME);
            return;
        }
        List<Transaction> fresh = new ArrayList<>();
        for (ByteString bytes : msg.getTransactionsList()) {
            Transaction tx;
            try {
                tx = TransactionCodec.decode(bytes.toByteArray());
            } catch (CodecException e) {
                service.penalize(from, Misbehavior.INVALID_TRANSACTION, "undecodable transaction: " + e.getMessage());
                return;
            }
            from.knownTxs.add(tx.hash());
            if (seenTxs.add(tx.hash())) fresh.add(tx);
        }
        if (fresh.isEmpty()) return;
        List<TxPool.Result> results = pool.addAll(fresh, chain.headState());
        for (int i = 0; i < results.size(); i++) {
            Rejection r = results.get(i).rejection();
            if (r == null) {
                if (!outgoing.offer(fresh.get(i))) LOG.debug("gossip queue full, not relaying transaction {}", fresh.get(i).hash());
                continue;
            }
            switch (r.code()) {
                case MALFORMED, OVERSIZED, BAD_SIGNATURE, WRONG_CHAIN -> {
                    service.penalize(from, Misbehavior.INVALID_TRANSACTION, "transaction " + fresh.get(i).hash() + ": " + r);
                    return;
                }
                default -> LOG.debug("transaction {} from {} not pooled: {}", fresh.get(i).hash(), from.describe(), r);
            }
        }
    }

    void onNewBlock(PeerConnection from, NewBlock msg) {
        Block block;
        try {
            block = BlockCodec.decode(msg.getBlock().toByteArray());
        } catch (CodecException e) {
            service.penalize(from, Misbehavior.INVALID_BLOCK, "undecodable block: " + e.getMessage());
            return;
        }
        Hash hash = block.hash();
        from.knownBlocks.add(hash);
        if (!seenBlocks.add(hash)) return;
        try {
            ImportResult result = chain.importBlock(block, service.now());
            LOG.debug("block {} at height {} from {}: {}", hash, block.height(), from.describe(), result);
            if (result == ImportResult.STORED_SIDE_BRANCH && block.header().seal() instanceof ValidatorSeal) {
                service.observeConsensus(new ConsensusMessage.VoteMessage(HeaderCodec.proposalSignature(block.header())));
            }
        } catch (Rejection r) {
            if (r.code() == RejectCode.UNKNOWN_PARENT) {
                seenBlocks.remove(hash);
                LOG.info("block {} at height {} from {} has an unknown parent; syncing from that peer", hash, block.height(), from.describe());
                service.sync().requestSync(from);
                return;
            }
            if (aheadOfClock(r)) {
                seenBlocks.remove(hash);
                LOG.info("block {} from {} is ahead of our clock, not imported yet: {}", hash, from.describe(), r.getMessage());
                return;
            }
            service.penalize(from, r.code() == RejectCode.INVALID_SEAL ? Misbehavior.INVALID_SEAL : Misbehavior.INVALID_BLOCK,
                    "block " + hash + " at height " + block.height() + ": " + r);
        }
    }

    /** A block refused only because its timestamp is too far ahead of the local clock: not the peer's fault, maybe ours. */
    static boolean aheadOfClock(Rejection r) {
        return r.code() == RejectCode.INVALID_HEADER && r.getMessage() != null && r.getMessage().contains("ahead of the local clock");
    }

    /** Chain listener: pushes a new head block to the peers that lack it, unless the node is syncing. */
    void onHeadChanged(List<Block> added, Head head, List<PeerConnection> peers, boolean syncing) {
        if (added.isEmpty()) return;
        Block tip = added.getLast();
        seenBlocks.add(tip.hash());
        if (syncing) return;
        byte[] bytes = chain.index().blockBytes(tip.hash());
        if (bytes == null) return;
        Frame frame = Frame.newBuilder().setNewBlock(NewBlock.newBuilder().setBlock(ByteString.copyFrom(bytes))).build();
        for (PeerConnection p : peers) if (p.knownBlocks.add(tip.hash())) p.send(frame);
    }
}
