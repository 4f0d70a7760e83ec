package io.maaschain.node;

import io.maaschain.chain.BlockBuilder;
import io.maaschain.chain.Blockchain;
import io.maaschain.chain.Head;
import io.maaschain.crypto.Address;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.txpool.TxPool;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer loop: waits for the block interval (or a full block's worth of transactions), builds a template
 * from the pool, seals it and imports it. A new head arriving from elsewhere cancels the seal in progress.
 */
public final class BlockProducer implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlockProducer.class);

    private final Blockchain chain;
    private final TxPool pool;
    private final BlockBuilder builder;
    private final BlockSealer sealer;
    private final Address rewardAddress;
    private final long intervalMillis;
    private final LongSupplier clock;
    private final Object wakeup = new Object();
    private final RandomGenerator pacing;
    private volatile boolean running = true;
    private volatile long delayForNextBlock;
    private final Thread thread;

    /**
     * {@code pacing} null: start each block {@code intervalMillis} after its parent. Otherwise the delay is drawn from
     * an exponential distribution with that mean, so that several producers on one network behave like proof-of-work
     * miners (memoryless arrivals) instead of all finishing at the same instant and forking at every height.
     */
    public BlockProducer(Blockchain chain, TxPool pool, BlockBuilder builder, BlockSealer sealer, Address rewardAddress,
                         long intervalMillis, LongSupplier clock, RandomGenerator pacing) {
        this.chain = chain;
        this.pool = pool;
        this.builder = builder;
        this.sealer = sealer;
        this.rewardAddress = rewardAddress;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
        this.pacing = pacing;
        this.delayForNextBlock = nextDelay();
        this.thread = new Thread(this, "block-producer");
        chain.addListener((removed, added, head) -> {
            if (!added.isEmpty() && !rewardAddress.equals(added.getLast().header().proposer())) {
                delayForNextBlock = nextDelay();
                sealer.cancel();
            }
        });
    }

    public BlockProducer start() {
        thread.start();
        return this;
    }

    /** Called when transactions arrive, so a full block does not wait for the interval. */
    public void nudge() {
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                waitForTurn();
                if (!running) break;
                produceOne();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("block production failed; retrying", e);
                sleepQuietly(500);
            }
        }
    }

    private void waitForTurn() throws InterruptedException {
        int full = chain.transition().params().maxBlockTransactions();
        synchronized (wakeup) {
            while (running) {
                long due = chain.head().header().timestampMillis() + delayForNextBlock;
                long wait = due - clock.getAsLong();
                if (wait <= 0 || pool.size() >= full) return;
                wakeup.wait(Math.min(wait, 250));
            }
        }
    }

    private long nextDelay() {
        if (pacing == null) return intervalMillis;
        return (long) Math.min(5.0 * intervalMillis, -Math.log(1.0 - pacing.nextDouble()) * intervalMillis);
    }

    private void produceOne() {
        Head parent = chain.head();
        List<io.maaschain.ledger.tx.Transaction> candidates = pool.select(chain.transition().params().maxBlockTransactions(), chain.headState());
        BlockBuilder.Template template = builder.build(candidates, rewardAddress, clock.getAsLong());
        if (!chain.head().hash().equals(parent.hash())) return;
        Optional<Block> sealed = sealer.seal(template.block());
        if (sealed.isEmpty()) return;
        Block block = sealed.get();
        try {
            chain.importOwnBlock(block, template, clock.getAsLong());
            delayForNextBlock = nextDelay();
            LOG.info("produced block {} at height {} with {} transactions", block.hash(), block.height(), block.transactions().size());
        } catch (Rejection r) {
            LOG.warn("own block {} at height {} was rejected: {}", block.hash(), block.height(), r.toString());
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        sealer.cancel();
        nudge();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sealer.close();
    }
}
