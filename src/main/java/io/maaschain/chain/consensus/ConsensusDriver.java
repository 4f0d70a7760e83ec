package io.maaschain.chain.consensus;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.CommitCertificate;
import io.maaschain.chain.ImportResult;
import io.maaschain.consensus.protocol.Action;
import io.maaschain.consensus.protocol.ConsensusProtocol;
import io.maaschain.consensus.protocol.ValidatorSigner;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.storage.StorageException;
import io.maaschain.txpool.TxPool;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what a {@link ConsensusProtocol} asks for, against the chain, the pool and a network port. Synchronous
 * and single-threaded: the node's consensus loop and the simulation both feed it inputs one at a time, each with the
 * current time, and schedule the next tick at the time each call returns.
 */
public final class ConsensusDriver {
    private static final Logger LOG = LoggerFactory.getLogger(ConsensusDriver.class);

    /** Sends consensus messages to every peer. Blocks travel separately, as the chain's new heads. */
    @FunctionalInterface
    public interface Network {
        void broadcast(ConsensusMessage message);
    }

    private final Blockchain chain;
    private final TxPool pool;
    private final BlockBuilder builder;
    /** How soon a commit that failed on a storage error is tried again. */
    static final long COMMIT_RETRY_MILLIS = 500;

    private final ConsensusProtocol protocol;
    private final ValidatorSigner signer;
    private final KeyPair accountKey;
    private final Network network;
    private long nextWake = Long.MAX_VALUE;
    /** Why consensus stopped for good on this node, or null while it runs. */
    private volatile String haltReason;
    /** A decided block whose commit failed on a storage error (disk full): retried at every input until it lands. */
    private Action.Commit pendingCommit;
    private long storageFailures;

    /** {@code accountKey} signs evidence transactions (its account pays their fees); usually the validator's own key. */
    public ConsensusDriver(Blockchain chain, TxPool pool, BlockBuilder builder, ConsensusProtocol protocol, ValidatorSigner signer,
                           KeyPair accountKey, Network network) {
        this.chain = chain;
        this.pool = pool;
        this.builder = builder;
        this.protocol = protocol;
        this.signer = signer;
        this.accountKey = accountKey;
        this.network = network;
    }

    public ConsensusProtocol protocol() {
        return protocol;
    }

    /** The time the protocol asked to be woken at (Long.MAX_VALUE if it asked for nothing since the last tick). */
    public long nextWake() {
        return nextWake;
    }

    /** Why consensus halted on this node; empty while it runs. A halted driver ignores every input. */
    public Optional<String> halted() {
        return Optional.ofNullable(haltReason);
    }

    /**
     * Stops consensus for good, with the reason in the log (and, through {@link #halted}, in status, readiness and
     * metrics). Used when going on could only be wrong: a block the validators decided cannot be applied here, or the
     * protocol failed in a way it was never meant to.
     */
    public void halt(String reason) {
        if (haltReason != null) return;
        haltReason = reason;
        nextWake = Long.MAX_VALUE;
        LOG.error("consensus HALTED: {}. This node no longer votes, proposes or commits; see docs/operator-guide.md, \"Halted consensus\"", reason);
    }

    public void start(long now) {
        if (haltReason == null) run(protocol.start(now), now);
    }

    public void tick(long now) {
        if (now >= nextWake) nextWake = Long.MAX_VALUE;
        if (haltReason == null) retryCommit(now);
        if (haltReason == null) run(protocol.onTick(now), now);
    }

    public void headChanged(long now) {
        if (haltReason == null) run(protocol.onHeadChanged(now), now);
    }

    public void message(ConsensusMessage message, long now) {
        if (haltReason == null) run(protocol.onMessage(message, now), now);
    }

    private void run(List<Action> first, long now) {
        Deque<Action> queue = new ArrayDeque<>(first);
        while (!queue.isEmpty() && haltReason == null) {
            Action a = queue.poll();
            switch (a) {
                case Action.Broadcast b -> network.broadcast(b.message());
                case Action.Propose p -> propose(p, now).ifPresent(block -> queue.addAll(protocol.onOwnProposal(block, now)));
                case Action.Commit c -> commit(c, now);
                case Action.RecordCommit r -> chain.recordCommit(new CommitCertificate(r.block(), r.votes()));
                case Action.Finalize f -> finalizeKnown(f, now);
                case Action.SubmitEvidence e -> submit(e);
                case Action.WakeAt w -> nextWake = Math.min(nextWake, w.atMillis());
                case Action.Log l -> LOG.info("{}", l.message());
            }
        }
    }

    private Optional<Block> propose(Action.Propose p, long now) {
        if (!chain.head().hash().equals(p.parent())) {
            LOG.debug("not proposing: the head moved from {} to {}", p.parent(), chain.head().hash());
            return Optional.empty();
        }
        BlockBuilder.Template template;
        try {
            List<Transaction> candidates = pool.select(chain.transition().params().maxBlockTransactions(), chain.headState());
            template = builder.build(candidates, signer.key().address(), p.timestampMillis(), p.seal());
        } catch (IllegalStateException e) {
            LOG.warn("cannot propose at slot {}: {}", p.seal().slot(), e.getMessage());
            return Optional.empty();
        }
        Optional<Header> signed = signer.signHeader(template.block().header());
        if (signed.isEmpty()) {
            LOG.warn("slashing protection refused to sign a proposal at height {} slot {}", template.block().height(), p.seal().slot());
            return Optional.empty();
        }
        Block block = new Block(signed.get(), template.block().transactions());
        if (p.importNow()) {
            try {
                chain.importOwnBlock(block, template, now);
                LOG.info("proposed block {} at height {} (slot {}) with {} transactions", block.hash(), block.height(), p.seal().slot(),
                        block.transactions().size());
            } catch (Rejection r) {
                LOG.warn("own block {} at height {} was rejected: {}", block.hash(), block.height(), r.toString());
                return Optional.empty();
            }
        }
        return Optional.of(block);
    }

    private void commit(Action.Commit c, long now) {
        Block block = c.block();
        try {
            ImportResult result = chain.commitDecided(block, c.commit(), now);
            pendingCommit = null;
            LOG.debug("committed block {} at height {} ({})", block.hash(), block.height(), result);
        } catch (Rejection r) {
            halt("block " + block.hash() + " at height " + block.height() + " was decided by consensus but cannot be imported: " + r);
        } catch (StorageException e) {
            // The disk refused the write (full, or an I/O error): nothing was stored. Keep the decision and retry it.
            pendingCommit = c;
            if (Long.bitCount(++storageFailures) == 1) {
                LOG.error("cannot store the decided block {} at height {} ({} attempts so far): {}; retrying", block.hash(), block.height(),
                        storageFailures, e.getMessage());
            }
            nextWake = Math.min(nextWake, now + COMMIT_RETRY_MILLIS);
        }
    }

    private void retryCommit(long now) {
        Action.Commit c = pendingCommit;
        if (c == null) return;
        if (chain.head().hash().equals(c.block().header().parentHash())) {
            commit(c, now);
        } else {
            pendingCommit = null; // the block arrived by sync meanwhile, or the head moved past it
        }
    }

    private void finalizeKnown(Action.Finalize f, long now) {
        if (chain.index().header(f.block().hash()) == null) return;
        try {
            chain.finalize(f.block().hash());
        } catch (Rejection r) {
            LOG.warn("cannot finalize block {}: {}", f.block().hash(), r.toString());
        }
    }

    private void submit(Action.SubmitEvidence e) {
        var state = chain.headState();
        long nonce = pool.nextNonce(accountKey.address(), state);
        Transaction tx = new UnsignedTransaction(chain.transition().params().chainId(), accountKey.publicKey(), nonce,
                chain.transition().params().minTxFee(), e.evidence()).sign(accountKey);
        try {
            pool.add(tx, state);
            LOG.warn("submitted evidence of equivocation in transaction {}", tx.hash());
        } catch (Rejection r) {
            LOG.warn("evidence transaction refused: {}", r.toString());
        }
    }
}
