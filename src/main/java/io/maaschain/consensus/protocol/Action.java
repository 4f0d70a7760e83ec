package io.maaschain.consensus.protocol;

import io.maaschain.consensus.BlockRef;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.ValidatorSeal;
import io.maaschain.ledger.tx.Evidence;
import io.maaschain.ledger.vote.ConsensusMessage;
import io.maaschain.ledger.vote.Vote;
import java.util.List;

/** What a {@link ConsensusProtocol} asks its driver to do. */
public sealed interface Action {
    /** Send to every peer (gossip). A signed vote is persisted by the signer before it reaches this point. */
    record Broadcast(ConsensusMessage message) implements Action {}

    /**
     * Build a block on {@code parent} at {@code timestampMillis} with {@code seal} (unsigned), sign it, and hand it
     * back through {@link ConsensusProtocol#onOwnProposal}. If {@code importNow}, also import it and gossip it as a
     * block (pos, dpos); otherwise the protocol decides what happens to it (bft proposes it and commits it later).
     */
    record Propose(Hash parent, long timestampMillis, ValidatorSeal seal, boolean importNow) implements Action {}

    /**
     * Import {@code block} (already validated through the chain view), make it final with {@code commit}, the votes that
     * decided it, stored in the same atomic write, and gossip it (bft commit). If it cannot be imported, the node halts:
     * its validators decided a block it cannot apply, and going on would only build on a chain it does not have.
     */
    record Commit(Block block, List<Vote> commit) implements Action {
        public Commit {
            commit = List.copyOf(commit);
        }
    }

    /** Store {@code votes} as the commit of {@code block}, the head, if none is stored yet (bft: assembled from peers). */
    record RecordCommit(Hash block, List<Vote> votes) implements Action {
        public RecordCommit {
            votes = List.copyOf(votes);
        }
    }

    /** The node's local view now holds {@code block} final (bft: +2/3 precommits seen). */
    record Finalize(BlockRef block) implements Action {}

    /** Submit evidence of equivocation as a transaction, so the offender is slashed on chain. */
    record SubmitEvidence(Evidence evidence) implements Action {}

    /** Call {@link ConsensusProtocol#onTick} no later than {@code atMillis} (earlier calls are harmless). */
    record WakeAt(long atMillis) implements Action {}

    /** Something for the operator's log (round summaries, why a round stalled, missed slots). */
    record Log(String message) implements Action {}
}
