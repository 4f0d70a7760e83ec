package io.maaschain.chain;

import io.maaschain.ledger.block.Block;
import java.util.List;

/** Told after each commit of the canonical chain, in commit order. {@code removed} is non-empty only for a reorg. */
@FunctionalInterface
public interface ChainListener {
    void onHeadChanged(List<Block> removed, List<Block> added, Head newHead);
}
