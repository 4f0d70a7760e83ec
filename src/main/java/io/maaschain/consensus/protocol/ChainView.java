package io.maaschain.consensus.protocol;

import io.maaschain.consensus.BlockRef;
import io.maaschain.consensus.HeaderAncestry;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.state.StateReader;
import io.maaschain.ledger.vote.Vote;
import java.util.List;
import java.util.Optional;

/** What a {@link ConsensusProtocol} may read from the chain: the port the node and the simulation both implement. */
public interface ChainView {
    long chainId();

    Hash headHash();

    Header head();

    /** The committed state of the head. */
    StateReader headState();

    /** The newest block this node holds final (genesis if none). */
    BlockRef finalized();

    Optional<Header> header(Hash hash);

    HeaderAncestry ancestry(Hash tip, long tipHeight);

    /** Fully validates a block built on the current head (seal, body, execution, state root) without storing it. */
    void check(Block block) throws Rejection;

    /** The votes stored as the commit of {@code block} ({@link Action.Commit}, {@link Action.RecordCommit}); empty if none. */
    List<Vote> storedCommit(Hash block);

    /** The protocol's durable record beside this chain. */
    ProtocolStateStore protocolState();
}
