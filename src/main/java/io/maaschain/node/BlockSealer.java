package io.maaschain.node;

import io.maaschain.ledger.block.Block;
import java.util.Optional;

/** Completes a block template's seal (PoW: finds a nonce). Runs on the producer thread; may block. */
public interface BlockSealer extends AutoCloseable {
    /** The sealed block, or empty if {@link #cancel()} was called before a seal was found. */
    Optional<Block> seal(Block template);

    /** Stops the current {@link #seal} call promptly, e.g. because a better head arrived. */
    void cancel();

    @Override
    void close();
}
