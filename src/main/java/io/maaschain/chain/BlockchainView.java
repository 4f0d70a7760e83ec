package io.maaschain.chain;

import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.consensus.protocol.ChainView;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.state.StateReader;
import io.maaschain.consensus.protocol.ProtocolStateStore;
import io.maaschain.ledger.vote.Vote;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/** The stored chain as a consensus protocol sees it. {@code clock} only bounds future timestamps in {@link #check}. */
public final class BlockchainView implements ChainView {
    private final Blockchain chain;
    private final LongSupplier clock;

    public BlockchainView(Blockchain chain, LongSupplier clock) {
        this.chain = chain;
        this.clock = clock;
    }

    @Override
    public long chainId() {
        return chain.transition().params().chainId();
    }

    @Override
    public Hash headHash() {
        return chain.head().hash();
    }

    @Override
    public Header head() {
        return chain.head().header();
    }

    @Override
    public StateReader headState() {
        return chain.headState();
    }

    @Override
    public BlockRef finalized() {
        return chain.finalized();
    }

    @Override
    public Optional<Header> header(Hash hash) {
        return Optional.ofNullable(chain.index().header(hash));
    }

    @Override
    public HeaderAncestry ancestry(Hash tip, long tipHeight) {
        return chain.ancestryOf(tip, tipHeight);
    }

    @Override
    public void check(Block block) throws Rejection {
        chain.check(block, clock.getAsLong());
    }

    @Override
    public List<Vote> storedCommit(Hash block) {
        return chain.storedCommit(block);
    }

    @Override
    public ProtocolStateStore protocolState() {
        return chain.protocolState();
    }
}
