package io.maaschain.node.mining;

import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.node.BlockSealer;
import java.util.Optional;

/** Seals blocks by proof of work with the multithreaded {@link PowMiner}. */
public final class PowBlockSealer implements BlockSealer {
    private final PowMiner miner;

    public PowBlockSealer(int threads) {
        this.miner = new PowMiner(threads);
    }

    @Override
    public Optional<Block> seal(Block template) {
        try {
            Optional<Header> sealed = miner.mine(template.header());
            return sealed.map(h -> new Block(h, template.transactions()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void cancel() {
        miner.cancel();
    }

    public long hashCount() {
        return miner.hashCount();
    }

    @Override
    public void close() {
        miner.close();
    }
}
